package dev.redline.pdp.server.harness;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A directory that exists but refuses new entries, made so for real. Root ignores permission bits,
 * so for root it is made immutable ({@code chattr +i}); for anyone else it is made mode 0500. Each
 * way is checked by trying to create a file in it; files already open keep their descriptors.
 */
public final class UnwritableDirectory implements AutoCloseable {
    private final Path dir;
    private final boolean immutable;
    private final Set<PosixFilePermission> permissionsBefore;
    private boolean locked;

    /** What the kernel answers a create with: EPERM for an immutable directory, EACCES for mode 0500. */
    public final String refusal;

    private UnwritableDirectory(Path dir, boolean immutable, Set<PosixFilePermission> permissionsBefore) {
        this.dir = dir;
        this.immutable = immutable;
        this.permissionsBefore = permissionsBefore;
        this.refusal = immutable ? "Operation not permitted" : "permission denied";
        this.locked = true;
    }

    /**
     * Makes {@code dir} refuse new entries, or says why it cannot be done here.
     *
     * @return empty, with the reason, when neither {@code chattr +i} nor mode 0500 stops a create
     */
    public static Attempt lock(Path dir) throws IOException, InterruptedException {
        StringBuilder why = new StringBuilder();
        if (run("chattr", "+i", dir.toString())) {
            if (refusesCreate(dir)) {
                return new Attempt(Optional.of(new UnwritableDirectory(dir, true, Set.of())), "");
            }
            run("chattr", "-i", dir.toString());
            why.append("chattr +i ran but a file could still be created; ");
        } else {
            why.append("chattr +i failed (no chattr, no CAP_LINUX_IMMUTABLE, or a file system without the flag); ");
        }
        Set<PosixFilePermission> before = Files.getPosixFilePermissions(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
        if (refusesCreate(dir)) {
            return new Attempt(Optional.of(new UnwritableDirectory(dir, false, before)), "");
        }
        Files.setPosixFilePermissions(dir, before);
        why.append("mode 0500 does not stop this user (root without CAP_LINUX_IMMUTABLE?)");
        return new Attempt(Optional.empty(), why.toString());
    }

    /** The outcome of {@link #lock}: the locked directory, or why none could be made. */
    public record Attempt(Optional<UnwritableDirectory> directory, String whyNot) {}

    /** Makes the directory writable again; safe to call twice. */
    public void unlock() throws IOException, InterruptedException {
        if (!locked) {
            return;
        }
        if (immutable) {
            if (!run("chattr", "-i", dir.toString())) {
                throw new IllegalStateException("chattr -i " + dir + " failed; remove the flag by hand");
            }
        } else {
            Files.setPosixFilePermissions(dir, permissionsBefore);
        }
        locked = false;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        unlock();
    }

    private static boolean refusesCreate(Path dir) throws IOException {
        Path probe = dir.resolve("write-probe");
        try {
            Files.createFile(probe);
        } catch (FileSystemException e) {
            return true;
        }
        Files.delete(probe);
        return false;
    }

    private static boolean run(String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
