package dev.redline.pdp.server.engine;

/** The policy called {@code opa_abort} (e.g. a runtime error in a rule), with OPA's message. */
final class PolicyAbortException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PolicyAbortException(String message) {
        super(message);
    }
}
