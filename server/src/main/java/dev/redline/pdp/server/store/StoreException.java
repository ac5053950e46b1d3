package dev.redline.pdp.server.store;

/** The bundle store on disk cannot be read or written; the message names the file. */
public final class StoreException extends Exception {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
