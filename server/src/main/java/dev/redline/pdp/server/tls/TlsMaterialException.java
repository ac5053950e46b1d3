package dev.redline.pdp.server.tls;

import java.nio.file.Path;

/** A TLS file is missing, unreadable, or does not hold what it should. */
public final class TlsMaterialException extends Exception {
    private final Path file;

    public TlsMaterialException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file to fix. */
    public Path file() {
        return file;
    }
}
