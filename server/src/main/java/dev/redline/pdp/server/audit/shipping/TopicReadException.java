package dev.redline.pdp.server.audit.shipping;

/** A topic could not be read: no such topic, Kafka unreachable, or no progress in time. */
public final class TopicReadException extends RuntimeException {
    public TopicReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
