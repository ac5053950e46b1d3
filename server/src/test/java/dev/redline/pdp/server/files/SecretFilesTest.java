package dev.redline.pdp.server.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {
    @TempDir
    Path dir;

    private Path secretWithMode(String mode) throws Exception {
        Path file = Files.writeString(dir.resolve("secret"), "s3cr3t\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private Optional<String> exposure(Path file) throws Exception {
        return SecretFiles.exposure("the admin tokens file", file).map(SecretFiles.Exposure::describe);
    }

    @Test
    void aSecretReadableByOthersIsExposedNamingTheFileAndItsMode() throws Exception {
        Path file = secretWithMode("rw----r--");

        assertEquals(Optional.of("the admin tokens file " + file + " is readable by others (mode rw----r--)"), exposure(file));
    }

    @Test
    void aSecretReadableByItsGroupIsExposed() throws Exception {
        Path file = secretWithMode("rw-r-----");

        assertEquals(Optional.of("the admin tokens file " + file + " is readable by its group (mode rw-r-----)"), exposure(file));
    }

    @Test
    void aSecretReadableByItsGroupAndOthersSaysBoth() throws Exception {
        Path file = secretWithMode("rw-r--r--");

        assertEquals(Optional.of("the admin tokens file " + file + " is readable by its group and others (mode rw-r--r--)"),
                exposure(file));
    }

    @Test
    void aSecretOnlyItsOwnerMayReadIsNotExposed() throws Exception {
        assertEquals(Optional.empty(), exposure(secretWithMode("rw-------")));
    }

    @Test
    void aSecretNotYetCreatedIsNotExposed() throws Exception {
        assertEquals(Optional.empty(), exposure(dir.resolve("admin.tokens")));
    }
}
