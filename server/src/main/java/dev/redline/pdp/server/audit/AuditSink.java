package dev.redline.pdp.server.audit;

import dev.redline.pdp.server.decision.Decision;
import java.util.concurrent.CompletableFuture;

/**
 * Where decisions go to be recorded before they are answered. A decision may be answered only
 * after the future completes normally; when it fails, the decision must be withheld.
 */
public interface AuditSink {
    /** The log turned off ({@code --no-audit}): every decision is answered at once, unrecorded. */
    AuditSink OFF = new AuditSink() {
        private final CompletableFuture<Void> done = CompletableFuture.completedFuture(null);

        @Override
        public CompletableFuture<?> record(Decision decision, byte[] input, int length, Caller caller) {
            return done;
        }
    };

    /**
     * Records {@code decision}, asked with the input JSON {@code input[0, length)} by {@code caller}.
     * The input is read before this returns, so the caller may reuse its buffer.
     */
    CompletableFuture<?> record(Decision decision, byte[] input, int length, Caller caller);
}
