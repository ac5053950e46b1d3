package dev.redline.pdp.server.decision;

/**
 * The policy produced no decision for a request. The {@link Kind} tells a front door how to answer
 * (for gRPC: which status); the message tells the user what to fix. Never an allow.
 */
public final class NoDecisionException extends RuntimeException {

    /** Why no decision was produced. */
    public enum Kind {
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

    private final Kind kind;

    public NoDecisionException(Kind kind, String message) {
        this(kind, message, null);
    }

    public NoDecisionException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
