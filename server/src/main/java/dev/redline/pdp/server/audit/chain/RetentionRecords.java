package dev.redline.pdp.server.audit.chain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the intact retention records in a log say was deleted, and the digests a crash left behind
 * while retention deleted their segments.
 *
 * <p>Retention makes its record durable, then deletes each segment before its digest. A crash
 * between the two deletions leaves a digest whose segment is gone: a <em>leftover</em>. It is not
 * a missing segment when a retention record lists that segment with that digest's HMAC, because
 * the record already holds everything the digest proves (last seq, last hash, the HMAC the next
 * digest links to).
 */
final class RetentionRecords {
    private static final byte[] RETENTION_MARK = "\"type\":\"retention\"".getBytes(StandardCharsets.US_ASCII);

    /** What a retention record says about a segment it deleted. */
    record Deleted(long lastSeq, String lastHash, String digestHmac, String recordedIn, long recordSeq) {}

    private RetentionRecords() {}

    /** Every segment an intact retention record in {@code segments} says it deleted, by segment name. */
    static Map<String, Deleted> read(List<? extends ChainSegment> segments) throws IOException {
        Map<String, Deleted> deleted = new HashMap<>();
        for (ChainSegment segment : segments) {
            if (!segment.hasLog()) {
                continue;
            }
            segment.forEachLine(line -> {
                if (!ByteSearch.contains(line.bytes(), RETENTION_MARK)) {
                    return true;
                }
                RecordCodec.decode(line.bytes(), 0, line.bytes().length)
                        .filter(RecordCodec.Decoded::intact)
                        .filter(r -> PreparedRecord.RETENTION.equals(r.type()))
                        .ifPresent(r -> r.record().path("deleted").forEach(entry -> deleted.put(
                                entry.path("segment").asText(),
                                new Deleted(entry.path("last_seq").asLong(), entry.path("last_hash").asText(),
                                        entry.path("digest_hmac").asText(), segment.name(), r.seq()))));
                return true;
            });
        }
        return deleted;
    }

    /**
     * The retention entry that accounts for {@code segment} as a leftover: its log is gone, its
     * digest verifies with {@code key}, seals this segment, and has the HMAC the entry recorded.
     */
    static Optional<Deleted> leftover(ChainSegment segment, Map<String, Deleted> deleted, AuditKey key)
            throws IOException {
        Deleted entry = deleted.get(segment.name());
        Optional<byte[]> content = segment.digestContent();
        if (entry == null || segment.hasLog() || content.isEmpty()) {
            return Optional.empty();
        }
        Optional<SegmentDigest.Sealed> digest = SegmentDigest.parse(content.get());
        boolean accounted = digest.isPresent() && digest.get().verifies(key)
                && digest.get().digest().segment().equals(segment.name())
                && digest.get().hmac().equals(entry.digestHmac());
        return accounted ? Optional.of(entry) : Optional.empty();
    }

    /**
     * How many of the oldest {@code segments} are leftovers. Only the oldest can be: retention
     * deletes oldest first and never the newest segment.
     */
    static int leadingLeftovers(List<SegmentFile> segments, AuditKey key) throws IOException {
        if (segments.isEmpty() || segments.get(0).hasLog()) {
            return 0; // the common case: no need to read the log for retention records
        }
        Map<String, Deleted> deleted = read(segments);
        int count = 0;
        while (count < segments.size() - 1 && leftover(segments.get(count), deleted, key).isPresent()) {
            count++;
        }
        return count;
    }
}
