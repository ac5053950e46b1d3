package dev.redline.pdp.server.audit.chain;

/**
 * A record could not be made durable, so the decision it records must not be answered. The message
 * names the directory and the underlying failure (disk full, not a directory, ...).
 */
public final class AuditUnavailableException extends RuntimeException {
    public AuditUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
