package dev.redline.pdp.server.decision;

import java.util.concurrent.CompletableFuture;

/**
 * Where {@link RecordedDecisions} records a decision before it is answered: what the decision layer
 * needs of a decision log, declared here so the log (in {@code audit}) depends on the decision
 * layer and not the other way round. A decision may be answered only after the future completes
 * normally; when it fails, the decision must be withheld.
 */
public interface DecisionLog {
    /** The log turned off ({@code --no-audit}): every decision is answered at once, unrecorded. */
    DecisionLog OFF = new DecisionLog() {
        private final CompletableFuture<Void> done = CompletableFuture.completedFuture(null);

        @Override
        public CompletableFuture<?> record(Decision decision, byte[] input, int length, Caller caller,
                MaskPolicy mask) {
            return done;
        }
    };

    /**
     * Records {@code decision}, asked with the input JSON {@code input[0, length)} by {@code caller}.
     * The input is read before this returns, so the caller may reuse its buffer. {@code mask} is the
     * mask policy of the bundle that decided; the log asks it before the record is written.
     */
    CompletableFuture<?> record(Decision decision, byte[] input, int length, Caller caller, MaskPolicy mask);

    /** Why a record failed, in words for the caller whose decision is withheld. */
    default String whyNotRecorded(Throwable failure) {
        return "recording it failed: " + failure;
    }
}
