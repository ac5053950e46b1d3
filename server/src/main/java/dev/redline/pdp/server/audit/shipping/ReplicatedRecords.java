package dev.redline.pdp.server.audit.shipping;

import dev.redline.pdp.server.audit.chain.AppendReceipt;
import dev.redline.pdp.server.audit.chain.AuditUnavailableException;
import dev.redline.pdp.server.decision.Caller;
import dev.redline.pdp.server.audit.DecisionRecorder;
import dev.redline.pdp.server.decision.DecisionLog;
import dev.redline.pdp.server.decision.MaskPolicy;
import dev.redline.pdp.server.decision.Decision;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The replicated durability mode: a decision's record counts as recorded only once it is durable
 * in the local log <em>and</em> Kafka acknowledged it from every in-sync replica. One more
 * completion condition on the log's answer to {@link dev.redline.pdp.server.decision.RecordedDecisions}:
 * whatever it does with an unrecorded decision (withhold it, UNAVAILABLE) happens here too when the
 * acknowledgement is late.
 */
public final class ReplicatedRecords implements DecisionLog {
    private final DecisionRecorder local;
    private final KafkaShipper shipper;
    private final Duration timeout;

    public ReplicatedRecords(DecisionRecorder local, KafkaShipper shipper, Duration timeout) {
        this.local = local;
        this.shipper = shipper;
        this.timeout = timeout;
    }

    @Override
    public String whyNotRecorded(Throwable failure) {
        return local.whyNotRecorded(failure);
    }

    @Override
    public CompletableFuture<AppendReceipt> record(Decision decision, byte[] input, int length, Caller caller,
            MaskPolicy mask) {
        return local.record(decision, input, length, caller, mask).thenCompose(receipt -> shipper
                .acknowledged(receipt.seq())
                .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .handle((acknowledged, failure) -> {
                    if (failure == null) {
                        return receipt;
                    }
                    String why = failure instanceof TimeoutException
                            ? "Kafka did not acknowledge it within " + timeout
                            : "shipping it to Kafka failed: " + failure.getMessage();
                    throw new AuditUnavailableException("decision " + decision.decisionId() + " is durable locally"
                            + " (seq " + receipt.seq() + ") but " + why + shipper.failure().map(f -> " (" + f + ")")
                                    .orElse("") + "; in replicated mode it is answered only once Kafka has it", failure);
                }));
    }
}
