package dev.redline.pdp.server.engine;

/** A bundle's policy cannot be instantiated; the message says what is wrong with it. */
public final class PolicyLoadException extends Exception {
    public PolicyLoadException(String message) {
        super(message);
    }

    public PolicyLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
