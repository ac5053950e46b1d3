package dev.redline.pdp.server.metrics;

import dev.redline.pdp.server.audit.chain.AuditLog;
import dev.redline.pdp.server.decision.DecisionObserver;
import dev.redline.pdp.server.policy.PolicyManager;
import dev.redline.pdp.server.shadow.ShadowEvaluator;
import io.grpc.ServerStreamTracer;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The PDP's Prometheus metrics and the HTTP endpoint that serves them ({@code /metrics}, on a
 * port of its own). The services are observed through their listener seams, which this hands out;
 * the JVM and process metrics come from the Prometheus client's instrumentation. Each PDP has its
 * own registry, so several in one JVM (tests) do not share counters.
 */
public final class PdpMetrics implements AutoCloseable {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final DecisionMetrics decisions = new DecisionMetrics(registry);
    private final CallStatusMetrics calls = new CallStatusMetrics(registry);
    private final TlsReloadMetrics tls = TlsReloadMetrics.in(registry);
    private final ShadowMetrics shadow = new ShadowMetrics(registry);
    private HTTPServer endpoint;

    public PdpMetrics() {
        JvmMetrics.builder().register(registry);
    }

    /** Told of each decision answered. */
    public DecisionObserver decisions() {
        return decisions;
    }

    /** Counts the calls on the decision port that end in an error. */
    public ServerStreamTracer.Factory callStatus() {
        return calls;
    }

    /** Counts the shadow's differences and drops. */
    public ShadowEvaluator.Listener shadow() {
        return shadow;
    }

    /** For the certificate reloader. */
    public TlsReloadMetrics tls() {
        return tls;
    }

    /** Observes the decision log's writer, then tells {@code next}. */
    public AuditLog.Listener decisionLog(AuditLog.Listener next) {
        return new DecisionLogMetrics(registry, next);
    }

    /** Observes bundle activations and refusals, then tells {@code next}. */
    public PolicyManager.Listener bundles(PolicyManager.Listener next) {
        return new BundleMetrics(registry, next);
    }

    /** The decision log's queue depth, read at each scrape. */
    public void decisionLogQueue(IntSupplier depth) {
        GaugeWithCallback.builder().name("pdp_decision_log_queue_records")
                .help("Decision records queued for the log's writer, not yet taken into a batch.")
                .callback(gauge -> gauge.call(depth.getAsInt())).register(registry);
    }

    /**
     * Shipping of the decision log to Kafka, read at each scrape: the records durable locally that
     * Kafka has not acknowledged yet, and whether it is acknowledging.
     */
    public void decisionLogShipping(LongSupplier lagRecords, BooleanSupplier acknowledging) {
        GaugeWithCallback.builder().name("pdp_decision_log_shipping_lag_records")
                .help("Decision log records durable locally that Kafka has not acknowledged yet.")
                .callback(gauge -> gauge.call(lagRecords.getAsLong())).register(registry);
        GaugeWithCallback.builder().name("pdp_decision_log_shipping_acknowledging")
                .help("1 while Kafka acknowledges what is shipped, 0 while shipping fails (the local log spools).")
                .callback(gauge -> gauge.call(acknowledging.getAsBoolean() ? 1 : 0)).register(registry);
    }

    /** The active bundle's policy instances, read at each scrape. */
    public void instances(IntSupplier busy, IntSupplier total) {
        GaugeWithCallback.builder().name("pdp_instances_busy")
                .help("Policy instances of the active bundle evaluating now.")
                .callback(gauge -> gauge.call(busy.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("pdp_instances")
                .help("Policy instances of the active bundle.")
                .callback(gauge -> gauge.call(total.getAsInt())).register(registry);
    }

    /**
     * Serves {@code /metrics} on {@code bind:port} (0 picks a free port).
     *
     * @throws IOException when the address cannot be bound
     */
    public synchronized void serve(String bind, int port) throws IOException {
        endpoint = HTTPServer.builder().hostname(bind).port(port).registry(registry).buildAndStart();
    }

    /** The port {@code /metrics} is served on. */
    public synchronized int port() {
        if (endpoint == null) {
            throw new IllegalStateException("metrics are not served yet");
        }
        return endpoint.getPort();
    }

    @Override
    public synchronized void close() {
        if (endpoint != null) {
            endpoint.close();
        }
    }
}
