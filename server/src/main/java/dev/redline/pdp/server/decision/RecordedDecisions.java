package dev.redline.pdp.server.decision;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The one way a front door gets a decision: decides, records the decision in the decision log, and
 * hands it over only once its record is durable. A decision whose record fails is never handed
 * over; its future fails with {@link DecisionNotRecordedException}.
 *
 * <p>Requests that produce no decision (invalid, unknown path, timeout, ...) fail at once with
 * {@link NoDecisionException} and are not recorded: there is no verdict to give evidence of. An
 * {@link Error} raised while deciding one request (a stack overflow, a class that failed to link)
 * becomes that request's {@link NoDecisionException}, so it never fails the other items of a batch.
 *
 * <p>The future completes on the log's acknowledgement thread, so no caller thread waits for the
 * disk; a front door answers from its callback.
 */
public final class RecordedDecisions {
    private final PolicyDecider decider;
    private final MaskEvaluator masks;
    private final DecisionLog log;
    private final DecisionObserver observer;
    private final DecisionShadow shadow;

    public RecordedDecisions(PolicyDecider decider, MaskEvaluator masks, DecisionLog log) {
        this(decider, masks, log, DecisionObserver.NONE);
    }

    /** As above, telling {@code observer} of each decision as it is handed over. */
    public RecordedDecisions(PolicyDecider decider, MaskEvaluator masks, DecisionLog log, DecisionObserver observer) {
        this(decider, masks, log, observer, DecisionShadow.NONE);
    }

    /** As above, offering each decision to {@code shadow}, evaluated once the decision is answered. */
    public RecordedDecisions(PolicyDecider decider, MaskEvaluator masks, DecisionLog log, DecisionObserver observer,
            DecisionShadow shadow) {
        this.decider = decider;
        this.masks = masks;
        this.log = log;
        this.observer = observer;
        this.shadow = shadow;
    }

    /**
     * Decides one request and records it.
     *
     * @param requestId the caller's correlation id, echoed ("" for none)
     * @param path the entrypoint, e.g. {@code contract/decision}; "" for the default
     * @param input UTF-8 JSON of the input document, in {@code input[0, length)}; no bytes
     *     ({@code length} 0) for a request with no input, which the policy sees as undefined; read before this
     *     returns, so the caller may reuse the buffer
     * @param arrivedNanos the {@link System#nanoTime()} at which the request arrived (the queue
     *     timeout counts from then)
     * @param deadlineNanos {@link System#nanoTime()} by which the answer is due
     * @param caller who asked, as the record names them
     * @return the decision, once it is on record
     * @throws NoDecisionException when no decision could be made (never an allow)
     */
    public CompletableFuture<Decision> decide(String requestId, String path, byte[] input, int length,
            long arrivedNanos, long deadlineNanos, Caller caller) {
        PolicyDecider.Decided decided;
        try {
            decided = decider.decideOn(requestId, path, input, length, arrivedNanos, deadlineNanos);
        } catch (StackOverflowError | LinkageError | AssertionError e) {
            // one request's failure inside the PDP stays that request's: the thread, and the other
            // items of its batch, carry on (an OutOfMemoryError is left to end the process)
            throw new NoDecisionException(NoDecisionException.Kind.ENGINE_FAILURE,
                    "the decision failed inside the PDP (" + e.getClass().getSimpleName() + "); nothing was decided", e);
        }
        Decision decision = decided.decision();
        long decidedNanos = System.nanoTime();
        DecisionShadow.Pending shadowed = shadow.offer(decision, input, length);
        if (log == DecisionLog.OFF) {
            observer.answered(decision, arrivedNanos, decidedNanos, decidedNanos);
            CompletableFuture<Decision> answered = CompletableFuture.completedFuture(decision);
            if (shadowed != null) {
                shadowed.start(); // hands over to the shadow's own thread; the answer is already complete
            }
            return answered;
        }
        CompletableFuture<Decision> answer = new CompletableFuture<>();
        CompletableFuture<?> record;
        try {
            record = log.record(decision, input, length, caller, masks.of(decided.policy()));
        } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
            record = CompletableFuture.failedFuture(e);
        }
        record.whenComplete((receipt, failure) -> {
            if (failure == null) {
                observer.answered(decision, arrivedNanos, decidedNanos, System.nanoTime());
                answer.complete(decision);
                if (shadowed != null) {
                    shadowed.start();
                }
            } else {
                if (shadowed != null) {
                    shadowed.cancel();
                }
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                answer.completeExceptionally(new DecisionNotRecordedException(log.whyNotRecorded(cause), cause));
            }
        });
        return answer;
    }
}
