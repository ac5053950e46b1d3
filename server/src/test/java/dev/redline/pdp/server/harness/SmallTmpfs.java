package dev.redline.pdp.server.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A tmpfs of a few kilobytes mounted on a test directory: a disk that really fills, mid-write,
 * with ENOSPC. Mounting needs root (and a kernel that lets this container mount); when it is
 * not permitted, {@link #mount} says why, so the test can skip with that reason.
 */
public final class SmallTmpfs implements AutoCloseable {
    /** A mounted tmpfs, or why there is none. */
    public record Attempt(Optional<SmallTmpfs> tmpfs, String whyNot) {}

    private final Path dir;

    private SmallTmpfs(Path dir) {
        this.dir = dir;
    }

    public static Attempt mount(Path dir, int kilobytes) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + kilobytes + "k,mode=0700", "tmpfs",
                dir.toString()).redirectErrorStream(true).start();
        String said = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!mount.waitFor(30, TimeUnit.SECONDS) || mount.exitValue() != 0) {
            return new Attempt(Optional.empty(), "mount -t tmpfs failed: " + said);
        }
        return new Attempt(Optional.of(new SmallTmpfs(dir)), "");
    }

    public Path dir() {
        return dir;
    }

    /** Unmounts it (lazily, so a file a closing server still holds does not keep it mounted). */
    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("umount", "-l", dir.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
}
