package dev.redline.pdp.server.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories the PDP makes are its owner's alone: files 0600, directories 0700. The
 * mode is given at creation, so no umask can widen it and no moment exists when another user
 * could open the file (logged inputs are evidence about people; the store holds the policy).
 * Where the file system has no POSIX permissions, files get its defaults.
 */
public final class OwnerOnly {
    private static final FileAttribute<?> FILE = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<?> DIRECTORY = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];

    private OwnerOnly() {}

    /** Opens {@code file}; if this creates it, it is created 0600. */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        return FileChannel.open(file, Set.of(options), posix(file) ? new FileAttribute<?>[] {FILE} : NONE);
    }

    /** Creates {@code dir} and any missing parents, each it creates 0700; existing ones are left as they are. */
    public static Path createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        return Files.createDirectories(dir, posix(nearestExisting(absolute)) ? new FileAttribute<?>[] {DIRECTORY} : NONE);
    }

    private static Path nearestExisting(Path path) {
        Path p = path;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? path.getRoot() : p;
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
