package dev.redline.pdp.server.engine;

/**
 * An evaluation that produced no decision. The {@link Reason} tells callers how to answer (for
 * gRPC: which status); the message tells the user what to fix. Never an allow.
 */
public final class EvaluationException extends RuntimeException {

    /** Why no decision was produced. */
    public enum Reason {
        /** The active bundle has no such entrypoint. */
        UNKNOWN_ENTRYPOINT,
        /** The input cannot be written into the policy's memory under its cap. */
        INPUT_TOO_LARGE,
        /** The evaluation ran past its deadline and was stopped. */
        DEADLINE_EXCEEDED,
        /** Every policy instance stayed busy until the deadline. */
        NO_INSTANCE_AVAILABLE,
        /** No bundle is active yet. */
        NO_ACTIVE_BUNDLE,
        /** The policy aborted or the runtime failed. */
        ENGINE_FAILURE
    }

    private final Reason reason;

    public EvaluationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public EvaluationException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
