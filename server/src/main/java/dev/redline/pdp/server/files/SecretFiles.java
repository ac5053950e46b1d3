package dev.redline.pdp.server.files;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The secrets the PDP reads must be their owner's alone: whoever reads the admin tokens file
 * administers the PDP, and whoever reads the decision-log key and can write the log can forge
 * sealed segments. Where the file system has no POSIX permissions nothing can be checked.
 *
 * <p>Group read counts as exposure only on a file the PDP's own user owns: it could be 0600. A file
 * another user owns that the PDP reads through its group (Kubernetes mounts secrets as root, group
 * {@code fsGroup}, mode 0440) can be read no other way, so its owner chose that group.
 */
public final class SecretFiles {
    /** A secret file its group or others may read. */
    public record Exposure(String what, Path file, Set<PosixFilePermission> permissions) {
        /** Names the file, who may read it, and its mode. */
        public String describe() {
            boolean group = permissions.contains(PosixFilePermission.GROUP_READ);
            boolean others = permissions.contains(PosixFilePermission.OTHERS_READ);
            String readers = group && others ? "its group and others" : group ? "its group" : "others";
            return what + " " + file + " is readable by " + readers + " (mode " + PosixFilePermissions.toString(permissions)
                    + ")";
        }
    }

    private SecretFiles() {}

    /**
     * Who besides its owner may read {@code file}, described as {@code what} (e.g. "the admin
     * tokens file"); empty when no one may, when it does not exist yet (the PDP creates it 0600),
     * or when its file system has no POSIX permissions.
     */
    public static Optional<Exposure> exposure(String what, Path file) throws IOException {
        if (!Files.exists(file) || !file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Optional.empty();
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        boolean readable = permissions.contains(PosixFilePermission.OTHERS_READ)
                || (permissions.contains(PosixFilePermission.GROUP_READ) && ownedByThisProcess(file));
        return readable ? Optional.of(new Exposure(what, file, permissions)) : Optional.empty();
    }

    private static boolean ownedByThisProcess(Path file) throws IOException {
        try {
            return ((Number) Files.getAttribute(file, "unix:uid")).longValue() == new UnixSystem().getUid();
        } catch (UnsupportedOperationException e) {
            return true; // no uid to compare: take the stricter reading
        }
    }
}
