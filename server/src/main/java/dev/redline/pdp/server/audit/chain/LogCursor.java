package dev.redline.pdp.server.audit.chain;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a running log forward from a position, only as far as its records are durable, for a
 * reader that copies the log elsewhere (the Kafka shipper). It yields each record line as written,
 * then a segment's digest once the segment is sealed and all of it was read, then moves on to the
 * next segment.
 */
public final class LogCursor {
    /**
     * Where reading stands.
     *
     * @param segment the segment being read
     * @param offset bytes of it already read (a line boundary)
     * @param line lines of it already read
     * @param seq the seq of the last record read (0 before the first)
     */
    public record Position(long segment, long offset, int line, long seq) {
        /** Before the first record of the log. */
        public static final Position START = new Position(1, 0, 0, 0);
    }

    /**
     * One thing to copy.
     *
     * @param digest true for a segment's digest, false for a record line
     * @param segment the segment's log name
     * @param line the record's 1-based line in it (0 for a digest)
     * @param seq the record's seq (for a digest: the segment's last)
     * @param bytes the line without its newline, or the digest's content without its newline
     * @param after the position once this is copied
     */
    public record Item(boolean digest, String segment, int line, long seq, byte[] bytes, Position after) {}

    private final AuditLog log;

    public LogCursor(AuditLog log) {
        this.log = log;
    }

    /**
     * Up to {@code max} items after {@code from}; empty when nothing durable is new. A segment
     * retention deleted before it was read is skipped, and {@code skipped} hears which.
     */
    public List<Item> next(Position from, int max, Consumer<String> skipped) throws IOException {
        List<Item> items = new ArrayList<>();
        Position position = from;
        while (items.size() < max) {
            SegmentFile segment = SegmentFile.in(log.dir(), position.segment());
            if (!segment.hasLog()) {
                if (position.segment() > log.durableSegment()) {
                    break; // not created yet
                }
                Optional<SegmentFile> later = firstAfter(position.segment());
                if (later.isEmpty()) {
                    break;
                }
                skipped.accept(segment.name() + " to " + SegmentFile.logName(later.get().number() - 1));
                position = new Position(later.get().number(), 0, 0, position.seq());
                continue;
            }
            long size = Files.size(segment.log());
            long readable = log.readableBytes(segment.number(), size);
            if (position.offset() < readable) {
                position = readLines(segment, position, readable, max - items.size(), items);
                continue;
            }
            Optional<byte[]> digest = segment.digestContent();
            if (digest.isEmpty() || readable < size) {
                break;
            }
            byte[] content = digest.get();
            int length = content.length > 0 && content[content.length - 1] == '\n' ? content.length - 1 : content.length;
            Position next = new Position(segment.number() + 1, 0, 0, position.seq());
            items.add(new Item(true, segment.name(), 0, position.seq(), Arrays.copyOf(content, length), next));
            position = next;
        }
        return items;
    }

    private Position readLines(SegmentFile segment, Position from, long readable, int max, List<Item> items)
            throws IOException {
        Position[] position = {from};
        int[] left = {max};
        SegmentLines.forEach(segment.log(), from.offset(), from.line() + 1, readable, line -> {
            if (!line.terminated()) {
                return false;
            }
            Position at = position[0];
            long seq = at.line() == 0 ? firstSeq(line.bytes(), at.seq()) : at.seq() + 1;
            Position after = new Position(at.segment(), at.offset() + line.span(), line.number(), seq);
            items.add(new Item(false, segment.name(), line.number(), seq, line.bytes(), after));
            position[0] = after;
            return --left[0] > 0;
        });
        return position[0];
    }

    /** A segment's first record states its seq; every later one in the segment is the one before plus 1. */
    private static long firstSeq(byte[] line, long previous) {
        return RecordCodec.decode(line, 0, line.length).map(RecordCodec.Decoded::seq).orElse(previous + 1);
    }

    private Optional<SegmentFile> firstAfter(long number) throws IOException {
        return SegmentFile.list(log.dir()).stream().filter(s -> s.number() > number && s.hasLog()).findFirst();
    }
}
