package dev.redline.pdp.server.decision;

/**
 * A request refused before any policy ran: its path or its input breaks a rule the PDP states for
 * every request. The {@link Kind} tells a front door how to answer (for gRPC: which status); the
 * message names what to fix. Never an allow.
 */
public final class InvalidRequestException extends RuntimeException {

    /** Which rule the request breaks. */
    public enum Kind {
        /** The entrypoint path cannot exist (a data reference, or not slash-separated rule names). */
        INVALID_PATH,
        /** The request id is longer than the PDP echoes and records. */
        INVALID_REQUEST_ID,
        /** The input cannot be given to the policy (a number JSON cannot hold, bad UTF-8, too deep). */
        INVALID_INPUT,
        /** The input, written as JSON, is larger than the configured limit. */
        INPUT_TOO_LARGE
    }

    private final Kind kind;

    public InvalidRequestException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
