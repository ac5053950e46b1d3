package dev.redline.pdp.server.metrics;

import dev.redline.pdp.server.replay.ChangeKind;
import dev.redline.pdp.server.shadow.ShadowEvaluator;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Shadow evaluation as metrics: its differences from the active bundle by kind, and its drops. */
final class ShadowMetrics implements ShadowEvaluator.Listener {
    private final Counter differences;
    private final Counter drops;

    ShadowMetrics(PrometheusRegistry registry) {
        this.differences = Counter.builder().name("pdp_shadow_differences_total")
                .help("Decisions the shadowed bundle answered differently from the active one, by kind of change.")
                .labelNames("change").register(registry);
        this.drops = Counter.builder().name("pdp_shadow_dropped_total")
                .help("Answered decisions not shadowed because every shadow thread was busy.")
                .register(registry);
        for (ChangeKind kind : ChangeKind.values()) {
            differences.labelValues(kind.key()); // every kind is scraped from the start, at 0
        }
    }

    @Override
    public void differed(ChangeKind kind) {
        differences.labelValues(kind.key()).inc();
    }

    @Override
    public void dropped() {
        drops.inc();
    }
}
