package dev.redline.pdp.server.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The seam a certificate reloader reports to: one call per reload of a port's TLS material, kept
 * or refused. {@link #NONE} when metrics are off.
 */
public interface TlsReloadMetrics {
    TlsReloadMetrics NONE = new TlsReloadMetrics() {
        @Override
        public void reloaded(String port) {}

        @Override
        public void failed(String port) {}
    };

    /** New certificate, key or client CA files on {@code port} ("decision" or "admin") are now served. */
    void reloaded(String port);

    /** Changed files on {@code port} could not be used; the old material stays in use. */
    void failed(String port);

    /** Counters in {@code registry}: {@code pdp_tls_reloads_total{port,result}}. */
    static TlsReloadMetrics in(PrometheusRegistry registry) {
        Counter reloads = Counter.builder().name("pdp_tls_reloads_total")
                .help("Reloads of TLS certificates, keys and client CAs, by port and result (ok, failed; a failed"
                        + " one keeps the old material).")
                .labelNames("port", "result").register(registry);
        CounterDataPoint decisionOk = reloads.labelValues("decision", "ok");
        CounterDataPoint decisionFailed = reloads.labelValues("decision", "failed");
        CounterDataPoint adminOk = reloads.labelValues("admin", "ok");
        CounterDataPoint adminFailed = reloads.labelValues("admin", "failed");
        return new TlsReloadMetrics() {
            @Override
            public void reloaded(String port) {
                ("admin".equals(port) ? adminOk : decisionOk).inc();
            }

            @Override
            public void failed(String port) {
                ("admin".equals(port) ? adminFailed : decisionFailed).inc();
            }
        };
    }
}
