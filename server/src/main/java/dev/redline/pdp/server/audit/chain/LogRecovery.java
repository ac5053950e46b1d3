package dev.redline.pdp.server.audit.chain;

import dev.redline.pdp.server.files.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Where the log on disk stands, for a writer that starts (or restarts after a failure): the end of
 * the chain, the digest the next one links to, the segment to append to, and the repair record
 * owed when a crash cut the newest segment short; and it first finishes a retention cut a crash
 * interrupted. A newest digest that does not verify with the key stops it: the chain would
 * continue from something unproven.
 */
final class LogRecovery {
    /**
     * @param head the end of the chain
     * @param prevDigest the HMAC of the newest sealed digest (zeros when none)
     * @param nextSegment the number of the segment to create once {@code open} is sealed or absent
     * @param open the newest segment, reopened for appending; null when the newest is sealed
     * @param repair a record of what was cut off, to write before anything else
     * @param uncleanEnd how the run before ended, when it did not stop cleanly (its last record is
     *     not a {@value PreparedRecord#STOPPED} record); empty for a clean stop and for a new log
     */
    record State(ChainPoint head, String prevDigest, long nextSegment, OpenSegment open,
            Optional<PreparedRecord> repair, Optional<String> uncleanEnd) {}

    private LogRecovery() {}

    /** Finds where the chain ends, reopening (and repairing) the newest segment unless it is sealed. */
    static State find(Path dir, AuditKey key, Clock clock) throws IOException, AuditLogException {
        DurableFiles.deleteTemporaries(dir); // a digest a crash left half-written; the segment is sealed again
        List<SegmentFile> segments = deleteRetentionLeftovers(dir, SegmentFile.list(dir), key);
        if (segments.isEmpty()) {
            return new State(ChainPoint.GENESIS, Sha256.GENESIS, 1, null, Optional.empty(), Optional.empty());
        }
        SegmentFile last = segments.get(segments.size() - 1);
        if (!last.hasLog()) {
            throw new AuditLogException("the newest segment " + last.name() + " in " + dir + " is missing (its digest"
                    + " is there); run `pdp audit verify " + dir + "`", null);
        }
        if (last.sealed()) {
            SegmentDigest.Sealed digest = readVerified(last, key);
            ChainPoint head = new ChainPoint(digest.digest().lastSeq(), digest.digest().lastHash());
            // a clean stop writes its record after any sealing, so a run that stopped never ends on a sealed segment
            return new State(head, digest.hmac(), last.number() + 1, null, Optional.empty(), Optional.of(uncleanEnd(head)));
        }
        ChainPoint expected = null;
        String prevDigest = Sha256.GENESIS;
        if (last.number() == 1) {
            expected = ChainPoint.GENESIS;
        } else {
            SegmentFile before = SegmentFile.in(dir, last.number() - 1);
            if (before.sealed()) {
                SegmentDigest.Sealed digest = readVerified(before, key);
                expected = new ChainPoint(digest.digest().lastSeq(), digest.digest().lastHash());
                prevDigest = digest.hmac();
            }
        }
        TailScan scan = TailScan.scan(last, expected);
        OpenSegment open = OpenSegment.reopen(last, scan.stats());
        Optional<PreparedRecord> repair = Optional.empty();
        if (scan.damagedTail()) {
            repair = Optional.of(PreparedRecord.builder(PreparedRecord.REPAIR, clock.instant())
                    .put("segment", last.name())
                    .put("valid_bytes", scan.validBytes())
                    .put("truncated_bytes", scan.fileBytes() - scan.validBytes())
                    .put("dropped_lines", scan.droppedLines())
                    .put("reason", "the tail after the last intact record was an interrupted write; it was cut off")
                    .build());
        }
        Optional<String> uncleanEnd = PreparedRecord.STOPPED.equals(scan.lastType()) && !scan.damagedTail()
                ? Optional.empty() : Optional.of(uncleanEnd(scan.head()));
        return new State(scan.head(), prevDigest, last.number() + 1, open, repair, uncleanEnd);
    }

    private static String uncleanEnd(ChainPoint head) {
        return "the run before this one did not stop cleanly: its log ends at seq " + head.seq() + " without a "
                + PreparedRecord.STOPPED + " record (it was killed, crashed or lost power)";
    }

    /**
     * Finishes a retention cut a crash interrupted: deletes the digests whose segments it deleted
     * (see {@link RetentionRecords}). Without this, retention would stop at them for good.
     */
    private static List<SegmentFile> deleteRetentionLeftovers(Path dir, List<SegmentFile> segments, AuditKey key)
            throws IOException {
        int leftovers = RetentionRecords.leadingLeftovers(segments, key);
        if (leftovers == 0) {
            return segments;
        }
        for (SegmentFile leftover : segments.subList(0, leftovers)) {
            Files.delete(leftover.digest());
        }
        DurableFiles.forceDirectory(dir);
        return segments.subList(leftovers, segments.size());
    }

    private static SegmentDigest.Sealed readVerified(SegmentFile segment, AuditKey key)
            throws IOException, AuditLogException {
        Optional<SegmentDigest.Sealed> digest = SegmentDigest.parse(Files.readAllBytes(segment.digest()));
        if (digest.isEmpty()) {
            throw new AuditLogException("the digest of " + segment.name() + " is not a sealed digest; run `pdp audit verify "
                    + segment.log().getParent() + "`", null);
        }
        if (!digest.get().verifies(key)) {
            String keyId = digest.get().digest().keyId();
            throw new AuditLogException("the digest of " + segment.name()
                    + (keyId.equals(key.id())
                            ? " does not match its HMAC: it was altered"
                            : " was sealed with key " + keyId + " but the configured key " + key.file() + " is " + key.id())
                    + "; run `pdp audit verify " + segment.log().getParent() + "`", null);
        }
        return digest.get();
    }
}
