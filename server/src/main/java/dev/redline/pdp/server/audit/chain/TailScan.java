package dev.redline.pdp.server.audit.chain;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads the newest (unsealed) segment when the log is opened: where its chain ends, and whether
 * its tail is a write a crash cut off.
 *
 * <p>A record is acknowledged only after it and everything before it were forced to disk, so
 * acknowledged records are always intact and always precede anything a crash damaged. A damaged
 * tail — a last line without its newline, a line with NUL bytes (a region the file system
 * extended but never wrote), a line that does not match its hash — followed by no intact record
 * is therefore a write that nobody was answered for, and is cut off. Damage followed by an intact
 * record is not what a crash leaves; it is refused, because cutting it would destroy evidence.
 *
 * @param validBytes where the intact records end
 * @param fileBytes the segment's size as found
 * @param droppedLines how many lines the tail holds past {@code validBytes}
 * @param stats what the intact part holds
 * @param head the end of the chain (the expected start when the segment holds no record)
 * @param lastType the type of the last intact record; "" when the segment holds none
 */
record TailScan(long validBytes, long fileBytes, int droppedLines, SegmentStats stats, ChainPoint head,
        String lastType) {

    boolean damagedTail() {
        return fileBytes > validBytes;
    }

    /**
     * @param expected where the chain stood before this segment; null when unknown (its
     *     predecessor is gone), in which case the first record is taken as it is
     */
    static TailScan scan(SegmentFile segment, ChainPoint expected) throws IOException, AuditLogException {
        Path file = segment.log();
        long size = java.nio.file.Files.size(file);
        var state = new Object() {
            ChainPoint head = expected;
            SegmentStats stats = SegmentStats.empty();
            long valid = 0;
            int dropped = 0;
            SegmentLines.Line firstDamage;
            String lastType = "";
        };
        SegmentLines.forEach(file, Long.MAX_VALUE, line -> {
            Optional<RecordCodec.Decoded> decoded = line.terminated() && !line.hasNul()
                    ? RecordCodec.decode(line.bytes(), 0, line.bytes().length)
                    : Optional.empty();
            boolean intact = decoded.isPresent() && decoded.get().intact();
            if (state.firstDamage != null) {
                if (intact) {
                    throw new AuditLogException(segment.name() + " line " + state.firstDamage.number()
                            + " is damaged but intact records follow it (line " + line.number()
                            + "): this is not a cut-off write; run `pdp audit verify " + file.getParent()
                            + "` and move the damaged log aside", null);
                }
                state.dropped++;
                return true;
            }
            if (!intact) {
                state.firstDamage = line;
                state.dropped = 1;
                return true;
            }
            RecordCodec.Decoded record = decoded.get();
            if (state.head != null && (record.seq() != state.head.seq() + 1 || !record.prev().equals(state.head.hash()))) {
                throw new AuditLogException(segment.name() + " line " + line.number() + " (seq " + record.seq()
                        + ") does not continue the chain, which stood at seq " + state.head.seq()
                        + "; run `pdp audit verify " + file.getParent() + "` and move the damaged log aside", null);
            }
            state.head = new ChainPoint(record.seq(), record.hash());
            state.stats = state.stats.plus(record.seq(), record.hash(), time(record), line.span());
            state.valid = line.offset() + line.span();
            state.lastType = record.type();
            return true;
        });
        if (state.head == null) {
            throw new AuditLogException(segment.name() + " holds no intact record and the segment before it is gone,"
                    + " so the chain cannot be continued; run `pdp audit verify " + file.getParent() + "`", null);
        }
        return new TailScan(state.valid, size, state.dropped, state.stats, state.head, state.lastType);
    }

    static Instant time(RecordCodec.Decoded record) {
        try {
            return Instant.parse(record.record().path("time").asText());
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
