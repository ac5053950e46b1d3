package dev.redline.pdp.server.metrics;

import dev.redline.pdp.server.bundle.Bundle;
import dev.redline.pdp.server.policy.ActivationException;
import dev.redline.pdp.server.policy.PolicyManager;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Bundle activations and refusals, and which bundle decides now (an info metric whose labels name
 * it). Passes every event on to the listener it wraps.
 */
final class BundleMetrics implements PolicyManager.Listener {
    private final PolicyManager.Listener next;
    private final Counter activations;
    private final Counter refusals;
    private final Info active;

    BundleMetrics(PrometheusRegistry registry, PolicyManager.Listener next) {
        this.next = next;
        this.activations = Counter.builder().name("pdp_bundle_activations_total")
                .help("Bundles that became active (start-up, push, poll, activate, rollback).").register(registry);
        this.refusals = Counter.builder().name("pdp_bundle_refusals_total")
                .help("Bundle pushes, polls, activations and rollbacks refused, by kind of refusal.")
                .labelNames("kind").register(registry);
        for (ActivationException.Kind kind : ActivationException.Kind.values()) {
            refusals.labelValues(kind.name());
        }
        this.active = Info.builder().name("pdp_bundle_active_info")
                .help("The bundle that decides now: its name, revision and digest.")
                .labelNames("name", "revision", "digest").register(registry);
    }

    @Override
    public synchronized void activated(Bundle bundle) {
        activations.inc();
        active.setLabelValues(bundle.name(), bundle.revision(), bundle.digest());
        next.activated(bundle);
    }

    @Override
    public void refused(ActivationException.Kind kind) {
        refusals.labelValues(kind.name()).inc();
        next.refused(kind);
    }
}
