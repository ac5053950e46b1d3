package dev.redline.pdp.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A directory laid out as Kubernetes mounts a secret: {@code tls.crt} and {@code tls.key} are
 * symlinks through {@code ..data}, itself a symlink to a timestamped directory. An update writes a
 * new timestamped directory and swaps {@code ..data} in one rename, as the kubelet does.
 */
public final class SecretVolume {
    private final Path dir;
    private final AtomicInteger generation = new AtomicInteger();

    private SecretVolume(Path dir) {
        this.dir = dir;
    }

    public static SecretVolume create(Path dir, TestCertificates.Issued first) throws IOException {
        SecretVolume volume = new SecretVolume(Files.createDirectories(dir));
        volume.update(first);
        Files.createSymbolicLink(dir.resolve("tls.crt"), Path.of("..data", "tls.crt"));
        Files.createSymbolicLink(dir.resolve("tls.key"), Path.of("..data", "tls.key"));
        return volume;
    }

    public Path cert() {
        return dir.resolve("tls.crt");
    }

    public Path key() {
        return dir.resolve("tls.key");
    }

    /** Publishes a new certificate and key in one swap. */
    public void update(TestCertificates.Issued issued) throws IOException {
        Path next = nextGeneration();
        issued.writeCertificate(next.resolve("tls.crt"));
        issued.writeKey(next.resolve("tls.key"));
        swapTo(next);
    }

    /** Publishes files with the given contents in one swap, e.g. a truncated certificate. */
    public void updateRaw(String cert, String key) throws IOException {
        Path next = nextGeneration();
        Files.writeString(next.resolve("tls.crt"), cert);
        Files.writeString(next.resolve("tls.key"), key);
        swapTo(next);
    }

    private Path nextGeneration() throws IOException {
        return Files.createDirectory(dir.resolve("..gen_" + generation.incrementAndGet()));
    }

    private void swapTo(Path generationDir) throws IOException {
        Path temporary = dir.resolve("..data_tmp");
        Files.createSymbolicLink(temporary, generationDir.getFileName());
        Files.move(temporary, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
