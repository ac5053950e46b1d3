package dev.redline.pdp.server.audit.chain;

import dev.redline.pdp.server.files.DurableFiles;
import dev.redline.pdp.server.files.OwnerOnly;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The segment being appended to. Only the log's writer thread touches it. Writes are positional
 * at the end of what was last made durable, so a failed batch leaves nothing the next one builds on.
 *
 * <p>It remembers which file it opened (its file key: device and inode on POSIX), and a batch is
 * durable only if that file is still the one at its path once forced: a segment (or its directory)
 * deleted or replaced while open would otherwise take records no reader will ever see. The check is
 * one {@code stat} per group commit, next to an {@code fdatasync}, and none per decision.
 */
final class OpenSegment implements AutoCloseable {
    private final SegmentFile file;
    private final FileChannel channel;
    private final Object identity;
    private SegmentStats stats;

    private OpenSegment(SegmentFile file, FileChannel channel, SegmentStats stats) throws IOException {
        this.file = file;
        this.channel = channel;
        this.stats = stats;
        try {
            this.identity = identityOf(file.log());
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** The file key of what is at {@code path} now; null where the file system has none (then unchecked). */
    static Object identityOf(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }

    /** Creates a new, empty segment; its directory entry is durable before anything is written to it. */
    static OpenSegment create(SegmentFile file) throws IOException {
        FileChannel channel = OwnerOnly.open(file.log(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            DurableFiles.forceDirectory(file.log().getParent());
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new OpenSegment(file, channel, SegmentStats.empty());
    }

    /** Reopens the newest segment, cutting off whatever lies past {@code stats.bytes()}. */
    static OpenSegment reopen(SegmentFile file, SegmentStats stats) throws IOException {
        FileChannel channel = FileChannel.open(file.log(), StandardOpenOption.WRITE);
        try {
            if (channel.size() > stats.bytes()) {
                channel.truncate(stats.bytes());
                channel.force(true);
            }
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new OpenSegment(file, channel, stats);
    }

    SegmentFile file() {
        return file;
    }

    /** What has been written to it (on disk once forced). */
    SegmentStats stats() {
        return stats;
    }

    /**
     * Writes {@code bytes} after the recorded end, forces them to disk when {@code force}, then
     * takes {@code after} as recorded. Unforced, they are in the OS page cache: a crash of this
     * process cannot lose them, an OS crash can until {@link #force()}.
     *
     * @return how long the force took, in nanoseconds (0 when not forced)
     */
    long append(byte[] bytes, int length, SegmentStats after, boolean force) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
        long position = stats.bytes();
        long forced;
        try {
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            forced = force ? force() : 0;
        } catch (IOException e) {
            cutBackToDurable(e);
            throw e;
        }
        confirmStillAtItsPath();
        stats = after;
        return forced;
    }

    /**
     * Cuts off what a failed batch left past the durable end (a disk that filled mid-write leaves
     * a torn line), so a clean stop leaves a log that verifies and the next start finds no damage
     * to blame on a crash. Truncating frees blocks, so it works on a full disk too; if it still
     * fails, the failure is kept with {@code cause} and recovery cuts the file back before resuming.
     */
    void cutBackToDurable(IOException cause) {
        try {
            if (channel.size() > stats.bytes()) {
                channel.truncate(stats.bytes());
                channel.force(true);
            }
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    /** Throws unless the file at this segment's path is the one this segment writes to. */
    void confirmStillAtItsPath() throws IOException {
        if (identity == null) {
            return;
        }
        Object now;
        try {
            now = identityOf(file.log());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new SegmentReplacedException(file.log() + " was deleted, or its directory was, while the server held it open", e);
        }
        if (!Objects.equals(identity, now)) {
            throw new SegmentReplacedException(file.log() + " was replaced while the server held it open: it is no longer the file"
                    + " being written", null);
        }
    }

    /** The segment's path no longer leads to the file being written: what is written there, no reader sees. */
    static final class SegmentReplacedException extends IOException {
        SegmentReplacedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Forces what was written to disk. Safe from another thread than the writer's, concurrently
     * with {@link #append}; throws {@link java.nio.channels.ClosedChannelException} once the
     * segment was closed (sealing forces it first).
     *
     * @return how long the force took, in nanoseconds
     */
    long force() throws IOException {
        long start = System.nanoTime();
        channel.force(false); // fdatasync: the data and the file size, which is all a reader needs
        return System.nanoTime() - start;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
