package dev.redline.pdp.server.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes a secret (an admin tokens file, a decision-log key) as an operator should: mode 0600. */
public final class SecretFile {
    private SecretFile() {}

    public static Path write(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
