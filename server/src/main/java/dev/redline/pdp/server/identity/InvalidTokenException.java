package dev.redline.pdp.server.identity;

/** A bearer token was presented but does not verify; the message says why. */
public final class InvalidTokenException extends Exception {
    public InvalidTokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
