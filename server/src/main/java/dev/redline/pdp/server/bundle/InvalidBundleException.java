package dev.redline.pdp.server.bundle;

/** The bundle cannot be used; the message names the entry and what is wrong with it. */
public final class InvalidBundleException extends Exception {
    public InvalidBundleException(String message) {
        super(message);
    }

    public InvalidBundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
