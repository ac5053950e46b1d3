package dev.redline.pdp.server.audit.chain;

/** The decision log cannot be opened or read as configured; the message says what to fix. */
public final class AuditLogException extends Exception {
    public AuditLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
