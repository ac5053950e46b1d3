package dev.redline.pdp.server.metrics;

import dev.redline.pdp.server.decision.Decision;
import dev.redline.pdp.server.decision.DecisionObserver;
import dev.redline.pdp.server.decision.Violation;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;

/**
 * Counts the decisions answered, by path and outcome, and their violations by code; times them
 * end to end, in the policy, and waiting before it. Every series is bound once per label value, so
 * observing a decision allocates nothing.
 */
final class DecisionMetrics implements DecisionObserver {
    static final int MAX_PATHS = 64;
    static final int MAX_CODES_PER_PATH = 128;

    private final BoundedLabels<PathSeries> paths;
    private final DistributionDataPoint latency;
    private final DistributionDataPoint evaluation;
    private final DistributionDataPoint queueWait;

    DecisionMetrics(PrometheusRegistry registry) {
        Counter decisions = Counter.builder().name("pdp_decisions_total")
                .help("Decisions answered (on record), by entrypoint path and outcome (allow or deny).")
                .labelNames("path", "outcome").register(registry);
        Counter violations = Counter.builder().name("pdp_decision_violations_total")
                .help("Violations in the decisions answered, by entrypoint path and violation code. A decision with"
                        + " several violations counts once per code; codes past " + MAX_CODES_PER_PATH
                        + " distinct ones per path count as \"other\".")
                .labelNames("path", "code").register(registry);
        this.paths = new BoundedLabels<>(MAX_PATHS, path -> new PathSeries(decisions, violations, path));
        this.latency = Buckets.latency("pdp_decision_duration_seconds",
                "From the request's arrival to its answer, its record durable included.").register(registry);
        this.evaluation = Buckets.latency("pdp_decision_evaluation_seconds",
                "Time in the policy (Wasm evaluation) per decision.").register(registry);
        this.queueWait = Buckets.latency("pdp_decision_queue_wait_seconds",
                "From the request's arrival until its decision was made, less the evaluation: the wait for a"
                        + " decision thread and a policy instance, and reading the input and the result.")
                .register(registry);
    }

    @Override
    public void answered(Decision decision, long arrivedNanos, long decidedNanos, long answeredNanos) {
        PathSeries series = paths.of(decision.path());
        (decision.allow() ? series.allowed : series.denied).inc();
        List<Violation> found = decision.violations();
        for (int i = 0; i < found.size(); i++) {
            series.codes.of(found.get(i).code()).inc();
        }
        latency.observe(Buckets.seconds(answeredNanos - arrivedNanos));
        evaluation.observe(Buckets.seconds(decision.evalNanos()));
        queueWait.observe(Buckets.seconds(Math.max(0, decidedNanos - arrivedNanos - decision.evalNanos())));
    }

    /** The series of one path, bound at its first decision. */
    private static final class PathSeries {
        final CounterDataPoint allowed;
        final CounterDataPoint denied;
        final BoundedLabels<CounterDataPoint> codes;

        PathSeries(Counter decisions, Counter violations, String path) {
            this.allowed = decisions.labelValues(path, "allow");
            this.denied = decisions.labelValues(path, "deny");
            this.codes = new BoundedLabels<>(MAX_CODES_PER_PATH, code -> violations.labelValues(path, code));
        }
    }
}
