package dev.redline.pdp.server.audit.chain;

import dev.redline.pdp.server.files.DurableFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * The segment being appended to. Only the log's writer thread touches it. Writes are positional
 * at the end of what was last made durable, so a failed batch leaves nothing the next one builds on.
 */
final class OpenSegment implements AutoCloseable {
    private final SegmentFile file;
    private final FileChannel channel;
    private SegmentStats stats;

    private OpenSegment(SegmentFile file, FileChannel channel, SegmentStats stats) {
        this.file = file;
        this.channel = channel;
        this.stats = stats;
    }

    /** Creates a new, empty segment; its directory entry is durable before anything is written to it. */
    static OpenSegment create(SegmentFile file) throws IOException {
        FileChannel channel = FileChannel.open(file.log(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
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

    /** What is durable in it. */
    SegmentStats stats() {
        return stats;
    }

    /**
     * Writes {@code bytes} after the durable end, forces them to disk, then takes {@code after} as
     * durable. Returns how long the force took, in nanoseconds.
     */
    long appendDurably(byte[] bytes, int length, SegmentStats after) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
        long position = stats.bytes();
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        long forceStart = System.nanoTime();
        channel.force(false); // fdatasync: the data and the file size, which is all a reader needs
        long forced = System.nanoTime() - forceStart;
        stats = after;
        return forced;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
