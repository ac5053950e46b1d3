package dev.redline.pdp.server.decision;

/**
 * The policy produced no decision for a request. The {@link Kind} tells a front door how to answer
 * (for gRPC: which status); the message tells the user what to fix. Never an allow.
 */
public final class NoDecisionException extends RuntimeException {

    /** Why no decision was produced. */
    public enum Kind {
        /** The request itself is malformed (e.g. an entrypoint path that cannot exist). */
        INVALID_REQUEST,
        /** The active bundle has no such entrypoint. */
        UNKNOWN_ENTRYPOINT,
        /** The input is larger than the configured limit or than the policy memory cap. */
        INPUT_TOO_LARGE,
        /** The input cannot be given to the policy (not JSON, too deeply nested, ...). */
        INVALID_INPUT,
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
