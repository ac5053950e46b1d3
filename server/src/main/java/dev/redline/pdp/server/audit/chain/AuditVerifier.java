package dev.redline.pdp.server.audit.chain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.redline.pdp.server.audit.chain.RetentionRecords.Deleted;
import dev.redline.pdp.server.audit.chain.Tampering.Kind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a whole log directory: every record's hash, every link, every seq, every digest's HMAC
 * and link, and the segment sequence, and names the first thing wrong.
 *
 * <p>What it can tell apart, and how:
 * <ul>
 *   <li><b>edited</b>: a line whose content no longer matches its hash; or a sealed segment whose
 *       records were re-hashed so that its chain ends somewhere other than its digest says;
 *   <li><b>inserted</b>: a line the chain continues past (the line after it links to the line
 *       before it), a second record with a seq already taken, or records after a sealed end;
 *   <li><b>deleted</b>: a seq gap that no later line fills;
 *   <li><b>reordered</b>: a seq gap that a later line fills;
 *   <li><b>truncated</b>: a last line cut short, or a sealed segment with fewer records than sealed;
 *   <li><b>missing segment</b>: a gap in segment numbers, or a first segment whose predecessors no
 *       retention record accounts for;
 *   <li><b>digest altered</b>: a digest that does not match its HMAC, names another segment, does
 *       not link to the previous digest, or is missing from a segment that is not the newest.
 * </ul>
 *
 * <p>Not tampering, but noted: a retention cut, and a digest a crash left behind while retention
 * deleted its segment, when an intact retention record names that segment with that digest's HMAC.
 *
 * <p>What no verifier of this log can see: records appended to, or cut from, the end of the open
 * (unsealed) segment by someone who recomputes SHA-256, and the loss of the newest segments
 * altogether. Sealing by age bounds the first; keeping {@link VerificationReport#lastHash()} or
 * the digests elsewhere detects the second.
 */
public final class AuditVerifier {
    private final AuditKey key;

    public AuditVerifier(AuditKey key) {
        this.key = key;
    }

    /** One line, reduced to what verification needs. */
    private record LineInfo(int number, boolean complete, boolean decoded, boolean intact, long seq, String prev,
            String hash) {
        /** True when this line is an intact record that follows {@code point} directly. */
        boolean follows(ChainPoint point) {
            return intact && seq == point.seq() + 1 && prev.equals(point.hash());
        }
    }

    /** Thrown inside the walk to stop at the first problem. */
    private static final class Found extends Exception {
        final Tampering tampering;

        Found(Kind kind, String file, int line, long seq, String detail) {
            super(null, null, false, false);
            this.tampering = new Tampering(kind, file, line, seq, detail);
        }
    }

    /** Mutable progress through the chain. */
    private static final class Walk {
        ChainPoint point;
        String pointPrev;
        String pointWhere;
        String prevDigest;
        long records;
        long firstSeq;
        final List<String> notes = new ArrayList<>();
    }

    /** Checks the log in directory {@code dir}. */
    public VerificationReport verify(Path dir) throws IOException {
        return verifySegments(SegmentFile.list(dir));
    }

    /**
     * Checks one chain as it was shipped: its segments in segment order, each with its lines in the
     * order received. The same checks as for a directory, so the same tampering gets the same name.
     */
    public VerificationReport verifyShipped(List<ShippedSegment> chain) {
        try {
            return verifySegments(chain);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("a shipped segment is held in memory and cannot fail to read", e);
        }
    }

    private VerificationReport verifySegments(List<? extends ChainSegment> segments) throws IOException {
        Walk walk = new Walk();
        if (segments.isEmpty()) {
            return new VerificationReport(0, 0, 0, 0, Sha256.GENESIS, List.of(), Optional.empty());
        }
        Map<String, Deleted> deleted = RetentionRecords.read(segments);
        segments = withoutLeftovers(segments, deleted, walk);
        try {
            start(walk, segments.get(0), deleted);
            long expectedNumber = segments.get(0).number();
            for (int i = 0; i < segments.size(); i++) {
                ChainSegment segment = segments.get(i);
                if (segment.number() != expectedNumber) {
                    throw new Found(Kind.MISSING_SEGMENT, SegmentFile.logName(expectedNumber), 0, -1,
                            "the log goes from " + SegmentFile.logName(expectedNumber - 1) + " to " + segment.name()
                                    + "; records from seq " + (walk.point.seq() + 1) + " on are gone with it");
                }
                expectedNumber++;
                verifySegment(walk, segment, i == segments.size() - 1);
            }
        } catch (Found found) {
            return report(segments, walk, Optional.of(found.tampering));
        }
        return report(segments, walk, Optional.empty());
    }

    private static VerificationReport report(List<? extends ChainSegment> segments, Walk walk, Optional<Tampering> problem) {
        ChainPoint end = walk.point == null ? ChainPoint.GENESIS : walk.point;
        return new VerificationReport(segments.size(), walk.records, walk.firstSeq, end.seq(), end.hash(), walk.notes,
                problem);
    }

    /**
     * Drops the oldest segments that are only a digest a crash left while retention deleted them,
     * noting each: the retention record already accounts for them.
     */
    private List<? extends ChainSegment> withoutLeftovers(List<? extends ChainSegment> segments,
            Map<String, Deleted> deleted, Walk walk) throws IOException {
        int first = 0;
        while (first < segments.size() - 1) {
            ChainSegment segment = segments.get(first);
            Optional<Deleted> cut = RetentionRecords.leftover(segment, deleted, key);
            if (cut.isEmpty()) {
                break;
            }
            walk.notes.add(segment.digestName() + " is left over from the retention cut recorded by seq "
                    + cut.get().recordSeq() + " in " + cut.get().recordedIn() + " (a crash came between deleting "
                    + segment.name() + " and its digest); the server deletes it when it next opens the log");
            first++;
        }
        return segments.subList(first, segments.size());
    }

    /** Where the chain must start: at genesis, or where a retention record says the deleted part ended. */
    private static void start(Walk walk, ChainSegment first, Map<String, Deleted> deleted) throws Found {
        if (first.number() == 1) {
            walk.point = ChainPoint.GENESIS;
            walk.prevDigest = Sha256.GENESIS;
            walk.pointWhere = "the start of the log";
            return;
        }
        String predecessor = SegmentFile.logName(first.number() - 1);
        Deleted cut = deleted.get(predecessor);
        if (cut == null) {
            throw new Found(Kind.MISSING_SEGMENT, predecessor, 0, -1, "the log starts at " + first.name()
                    + " and no retention record accounts for " + predecessor);
        }
        walk.point = new ChainPoint(cut.lastSeq(), cut.lastHash());
        walk.prevDigest = cut.digestHmac();
        walk.pointWhere = "the end of " + predecessor + " (deleted by retention)";
        walk.notes.add("segments up to " + predecessor + " (seq 1 to " + cut.lastSeq() + ") were deleted by retention,"
                + " as recorded by seq " + cut.recordSeq() + " in " + cut.recordedIn());
    }

    private void verifySegment(Walk walk, ChainSegment segment, boolean newest) throws IOException, Found {
        if (!segment.hasLog()) {
            throw new Found(Kind.MISSING_SEGMENT, segment.name(), 0, -1,
                    "its digest " + segment.digestName() + " is there but the segment is not");
        }
        Optional<SegmentDigest> digest = checkDigest(walk, segment, newest);
        List<LineInfo> lines = readLines(segment, walk);
        Map<Long, Integer> lineOfSeq = new HashMap<>();
        for (LineInfo line : lines) {
            if (line.intact()) {
                lineOfSeq.putIfAbsent(line.seq(), line.number());
            }
        }
        String name = segment.name();
        long recordsBefore = walk.records;
        for (int i = 0; i < lines.size(); i++) {
            LineInfo line = lines.get(i);
            LineInfo next = i + 1 < lines.size() ? lines.get(i + 1) : null;
            check(walk, name, line, next, i == lines.size() - 1, lineOfSeq, digest);
            if (digest.isPresent() && line.seq() > digest.get().lastSeq()) {
                throw new Found(Kind.INSERTED, name, line.number(), line.seq(), "the segment was sealed at seq "
                        + digest.get().lastSeq() + "; this record was added after");
            }
            if (walk.records == 0) {
                walk.firstSeq = line.seq();
            }
            walk.records++;
            walk.pointPrev = walk.point.hash();
            walk.point = new ChainPoint(line.seq(), line.hash());
            walk.pointWhere = name + " line " + line.number();
        }
        if (digest.isPresent()) {
            compareWithDigest(walk, segment, digest.get(), walk.records - recordsBefore);
        }
    }

    /** Classifies one line against the chain so far; returns normally when it is the next record. */
    private static void check(Walk walk, String file, LineInfo line, LineInfo next, boolean lastLine,
            Map<Long, Integer> lineOfSeq, Optional<SegmentDigest> digest) throws Found {
        ChainPoint point = walk.point;
        boolean chainGoesOnPastIt = next != null && next.follows(point);
        if (!line.complete()) {
            if (lastLine) {
                throw new Found(Kind.TRUNCATED, file, line.number(), -1, "the last line is cut short (no newline, or"
                        + " bytes never written): " + (digest.isPresent()
                                ? "the segment was sealed, so this is damage"
                                : "a write interrupted by a crash; the server cuts it off when it next opens the log"));
            }
            throw new Found(chainGoesOnPastIt ? Kind.INSERTED : Kind.EDITED, file, line.number(), -1,
                    "the line is not a complete record" + (chainGoesOnPastIt ? " and the chain continues past it" : ""));
        }
        if (!line.decoded()) {
            throw new Found(chainGoesOnPastIt ? Kind.INSERTED : Kind.EDITED, file, line.number(), -1,
                    chainGoesOnPastIt
                            ? "the line is not a record and line " + next.number() + " continues the chain from "
                                    + walk.pointWhere
                            : "the line is not a well-formed record (a JSON object ending in its hash)");
        }
        if (!line.intact()) {
            if (chainGoesOnPastIt) {
                throw new Found(Kind.INSERTED, file, line.number(), line.seq(), "it does not match its hash and line "
                        + next.number() + " continues the chain from " + walk.pointWhere + " without it");
            }
            throw new Found(Kind.EDITED, file, line.number(), line.seq(), "its content does not match its hash");
        }
        if (line.follows(point)) {
            return;
        }
        long expected = point.seq() + 1;
        if (line.seq() == expected) {
            throw new Found(Kind.EDITED, file, line.number(), line.seq(), "it links to hash " + abbreviate(line.prev())
                    + " but the record before it, at " + walk.pointWhere + ", has hash " + abbreviate(point.hash())
                    + ": that record was rewritten and re-hashed, or this one was");
        }
        if (line.seq() > expected) {
            Integer later = lineOfSeq.get(expected);
            if (later != null && later > line.number()) {
                throw new Found(Kind.REORDERED, file, line.number(), line.seq(),
                        "seq " + line.seq() + " comes before seq " + expected + " (line " + later + ")");
            }
            String missing = line.seq() - 1 == expected ? "seq " + expected + " is" : "seqs " + expected + " to "
                    + (line.seq() - 1) + " are";
            throw new Found(Kind.DELETED, file, line.number(), line.seq(), missing + " missing before it (the chain"
                    + " stood at seq " + point.seq() + ", " + walk.pointWhere + ")");
        }
        if (line.seq() == point.seq() && line.prev().equals(walk.pointPrev)) {
            // Two intact records claim the same place. The one the chain continues from is genuine.
            if (next != null && next.intact() && next.prev().equals(line.hash())) {
                throw new Found(Kind.INSERTED, file, line.number() - 1, point.seq(), "line " + line.number()
                        + " also claims seq " + point.seq() + " and the chain continues from that one (line "
                        + next.number() + ")");
            }
            throw new Found(Kind.INSERTED, file, line.number(), line.seq(), "seq " + line.seq()
                    + " is already taken by " + walk.pointWhere);
        }
        Integer earlier = lineOfSeq.get(line.seq());
        throw new Found(Kind.INSERTED, file, line.number(), line.seq(), "seq " + line.seq() + " was already recorded"
                + (earlier != null && earlier < line.number() ? " at line " + earlier : " in an earlier segment")
                + "; this is a copy or a replay");
    }

    /** Checks a digest's HMAC, name and link; empty for the newest segment when it is not sealed. */
    private Optional<SegmentDigest> checkDigest(Walk walk, ChainSegment segment, boolean newest)
            throws IOException, Found {
        String file = segment.digestName();
        Optional<byte[]> content = segment.digestContent();
        if (content.isEmpty()) {
            if (newest) {
                return Optional.empty();
            }
            throw new Found(Kind.DIGEST_ALTERED, file, 0, -1, "it is missing, yet only the newest segment may be"
                    + " unsealed (" + segment.name() + " is not the newest)");
        }
        Optional<SegmentDigest.Sealed> sealed = SegmentDigest.parse(content.get());
        if (sealed.isEmpty()) {
            throw new Found(Kind.DIGEST_ALTERED, file, 0, -1, "it is not a sealed digest (a JSON object ending in"
                    + " its HMAC)");
        }
        SegmentDigest digest = sealed.get().digest();
        if (!sealed.get().verifies(key)) {
            throw new Found(Kind.DIGEST_ALTERED, file, 0, -1, digest.keyId().equals(key.id())
                    ? "it does not match its HMAC: its content was changed after sealing"
                    : "it does not match its HMAC: it names key " + digest.keyId() + " but the key given is "
                            + key.id() + " (a different key, or an edited digest)");
        }
        if (!digest.segment().equals(segment.name())) {
            throw new Found(Kind.DIGEST_ALTERED, file, 0, -1, "it seals " + digest.segment() + ", not "
                    + segment.name());
        }
        if (!digest.prevDigest().equals(walk.prevDigest)) {
            throw new Found(Kind.DIGEST_ALTERED, file, 0, -1, "it links to digest " + abbreviate(digest.prevDigest())
                    + " but the digest before it is " + abbreviate(walk.prevDigest)
                    + ": a segment was replaced or the segments were reordered");
        }
        walk.prevDigest = sealed.get().hmac();
        return Optional.of(digest);
    }

    private static void compareWithDigest(Walk walk, ChainSegment segment, SegmentDigest digest, long records)
            throws Found {
        String name = segment.name();
        if (walk.point.seq() < digest.lastSeq() || records < digest.records()) {
            throw new Found(Kind.TRUNCATED, name, 0, -1, "it ends at seq " + walk.point.seq() + " after " + records
                    + " records, but its digest sealed " + digest.records() + " records, seq " + digest.firstSeq()
                    + " to " + digest.lastSeq());
        }
        if (!walk.point.hash().equals(digest.lastHash())) {
            throw new Found(Kind.EDITED, name, 0, -1, "its records were rewritten and re-hashed: the chain ends in"
                    + " hash " + abbreviate(walk.point.hash()) + " but the digest sealed " + abbreviate(digest.lastHash()));
        }
    }

    private static List<LineInfo> readLines(ChainSegment segment, Walk walk) throws IOException {
        List<LineInfo> lines = new ArrayList<>();
        segment.forEachLine(line -> {
            boolean complete = line.terminated() && !line.hasNul();
            Optional<RecordCodec.Decoded> decoded = complete
                    ? RecordCodec.decode(line.bytes(), 0, line.bytes().length)
                    : Optional.empty();
            if (decoded.isEmpty()) {
                lines.add(new LineInfo(line.number(), complete, false, false, -1, "", ""));
                return true;
            }
            RecordCodec.Decoded record = decoded.get();
            boolean intact = record.intact();
            if (intact && PreparedRecord.REPAIR.equals(record.type())) {
                JsonNode r = record.record();
                walk.notes.add("seq " + record.seq() + " in " + segment.name() + " records a crash repair: "
                        + r.path("truncated_bytes").asLong() + " bytes of an interrupted write were cut from "
                        + r.path("segment").asText() + " at offset " + r.path("valid_bytes").asLong());
            }
            lines.add(new LineInfo(line.number(), true, true, intact, record.seq(), record.prev(), record.hash()));
            return true;
        });
        return lines;
    }

    private static String abbreviate(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) + "…" : hash;
    }
}
