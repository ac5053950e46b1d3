package dev.redline.pdp.server.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
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
    void aGroupReadableSecretAnotherUserOwnsIsNotExposed() throws Exception {
        assumeTrue(new UnixSystem().getUid() == 0, "giving a file to another user needs root");
        Path file = secretWithMode("r--r-----");
        Files.setAttribute(file, "unix:uid", 10_001); // as Kubernetes mounts a secret: root's, read through fsGroup

        assertEquals(Optional.empty(), exposure(file));
    }

    @Test
    void aGroupReadableSecretAnotherUserOwnsIsStillExposedToOthers() throws Exception {
        assumeTrue(new UnixSystem().getUid() == 0, "giving a file to another user needs root");
        Path file = secretWithMode("r--r--r--");
        Files.setAttribute(file, "unix:uid", 10_001);

        assertEquals(Optional.of("the admin tokens file " + file + " is readable by its group and others (mode r--r--r--)"),
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
