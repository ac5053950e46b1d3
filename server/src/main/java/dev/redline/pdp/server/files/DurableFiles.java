package dev.redline.pdp.server.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * File operations whose effect must survive a crash: data and directory entries both forced.
 * The decision log and the bundle store both rely on them.
 */
public final class DurableFiles {
    private static final String TEMPORARY_SUFFIX = ".tmp";

    private DurableFiles() {}

    /** Makes the creation, renaming or deletion of entries in {@code dir} durable. */
    public static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Deletes what {@link #writeAtomically} leaves behind in {@code dir} when interrupted. */
    public static void deleteTemporaries(Path dir) throws IOException {
        try (DirectoryStream<Path> temporaries = Files.newDirectoryStream(dir, "*" + TEMPORARY_SUFFIX)) {
            for (Path temporary : temporaries) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /**
     * Writes {@code content} to {@code target} so that a crash leaves either the old file or the
     * new one: written whole to a temporary sibling, forced, renamed over the target, and the
     * directory forced.
     */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + TEMPORARY_SUFFIX);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + target + " cannot rename atomically", e);
        }
        forceDirectory(target.getParent());
    }
}
