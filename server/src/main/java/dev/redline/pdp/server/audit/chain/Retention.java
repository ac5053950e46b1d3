package dev.redline.pdp.server.audit.chain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which sealed segments the retention limits let go, and the record that says so. The record is
 * written (durably, in the chain) before the files are deleted, so a verifier finds, for the gap
 * at the start of the log, a record naming the deleted segments and the hash the remaining chain
 * starts from: a retention cut, not tampering.
 *
 * <p>Never deleted: the newest sealed segment (the open segment's digest links to it, and the
 * log reopens from it) and the open segment.
 */
final class Retention {
    /** A segment to delete, with what the record must say about it. */
    record Victim(SegmentFile segment, SegmentDigest.Sealed digest, String reason) {}

    private Retention() {}

    static boolean configured(ChainSettings settings) {
        return settings.retainMaxBytes() > 0 || !settings.retainMaxAge().isZero();
    }

    static List<Victim> plan(List<SegmentFile> segments, AuditKey key, ChainSettings settings, Instant now)
            throws IOException {
        int newestSealed = -1;
        long total = 0;
        for (int i = 0; i < segments.size(); i++) {
            SegmentFile segment = segments.get(i);
            if (segment.sealed() && segment.hasLog()) {
                newestSealed = i;
            }
            total += sizeOf(segment);
        }
        List<Victim> victims = new ArrayList<>();
        for (int i = 0; i < newestSealed; i++) {
            SegmentFile segment = segments.get(i);
            Optional<SegmentDigest.Sealed> digest = segment.sealed() && segment.hasLog()
                    ? SegmentDigest.parse(Files.readAllBytes(segment.digest()))
                    : Optional.empty();
            if (digest.isEmpty() || !digest.get().verifies(key)) {
                break; // never delete what cannot be accounted for: leave it to `pdp audit verify`
            }
            boolean tooBig = settings.retainMaxBytes() > 0 && total > settings.retainMaxBytes();
            boolean tooOld = !settings.retainMaxAge().isZero()
                    && Instant.parse(digest.get().digest().maxTime()).plus(settings.retainMaxAge()).isBefore(now);
            if (!tooBig && !tooOld) {
                break; // oldest first: everything after this one is newer and the log is within bounds
            }
            victims.add(new Victim(segment, digest.get(), tooOld ? "max-age" : "max-bytes"));
            total -= sizeOf(segment);
        }
        return victims;
    }

    static PreparedRecord record(List<Victim> victims, ChainSettings settings, Instant now) {
        ArrayNode deleted = JsonNodeFactory.instance.arrayNode();
        for (Victim victim : victims) {
            SegmentDigest digest = victim.digest().digest();
            ObjectNode entry = deleted.addObject();
            entry.put("segment", victim.segment().name());
            entry.put("first_seq", digest.firstSeq());
            entry.put("last_seq", digest.lastSeq());
            entry.put("records", digest.records());
            entry.put("last_hash", digest.lastHash());
            entry.put("digest_hmac", victim.digest().hmac());
            entry.put("reason", victim.reason());
        }
        return PreparedRecord.builder(PreparedRecord.RETENTION, now)
                .put("deleted", deleted)
                .put("retain_max_bytes", settings.retainMaxBytes())
                .put("retain_max_age", settings.retainMaxAge().toString())
                .build();
    }

    private static long sizeOf(SegmentFile segment) throws IOException {
        long size = 0;
        if (segment.hasLog()) {
            size += Files.size(segment.log());
        }
        if (segment.sealed()) {
            size += Files.size(segment.digest());
        }
        return size;
    }
}
