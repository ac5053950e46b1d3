package dev.redline.pdp.server.metrics;

import dev.redline.pdp.server.audit.chain.AuditLog;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The decision log's writer as metrics: how long each group-committed batch took and how large it
 * was, how long each force to disk took, and whether the log accepts records. Passes every event
 * on to the listener it wraps (the health check).
 */
final class DecisionLogMetrics implements AuditLog.Listener {
    private final AuditLog.Listener next;
    private final Histogram append;
    private final Histogram fsync;
    private final Histogram batchSize;
    private final Gauge writable;

    DecisionLogMetrics(PrometheusRegistry registry, AuditLog.Listener next) {
        this.next = next;
        this.append = Buckets.latency("pdp_decision_log_append_seconds",
                "Time to chain, write and force one group-commit batch of decision records.").register(registry);
        this.fsync = Buckets.latency("pdp_decision_log_fsync_seconds",
                "Time of one force (fdatasync) of the open log segment.").register(registry);
        this.batchSize = Histogram.builder().name("pdp_decision_log_batch_records")
                .help("Records per group-commit batch.")
                .classicOnly().classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024).register(registry);
        this.writable = Gauge.builder().name("pdp_decision_log_writable")
                .help("1 while the decision log accepts records, 0 while it refuses them (decisions are then refused).")
                .register(registry);
        writable.set(1);
    }

    @Override
    public void writableChanged(boolean nowWritable, String reason) {
        writable.set(nowWritable ? 1 : 0);
        next.writableChanged(nowWritable, reason);
    }

    @Override
    public void batchWritten(int records, long nanos) {
        append.observe(Buckets.seconds(nanos));
        batchSize.observe(records);
        next.batchWritten(records, nanos);
    }

    @Override
    public void forced(long nanos) {
        fsync.observe(Buckets.seconds(nanos));
        next.forced(nanos);
    }
}
