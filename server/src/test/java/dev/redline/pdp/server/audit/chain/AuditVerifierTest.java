package dev.redline.pdp.server.audit.chain;

import static dev.redline.pdp.server.audit.chain.TestLog.digest;
import static dev.redline.pdp.server.audit.chain.TestLog.lines;
import static dev.redline.pdp.server.audit.chain.TestLog.problem;
import static dev.redline.pdp.server.audit.chain.TestLog.segment;
import static dev.redline.pdp.server.audit.chain.TestLog.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.audit.chain.Tampering.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verification names the first record that was tampered with and what was done to it. Every test
 * starts from the same log — 00000001.jsonl (seq 1-5) and 00000002.jsonl (seq 6-10) sealed,
 * 00000003.jsonl (seq 11-15) open — written by the real log writer, then edits files as a
 * tamperer with write access (but without the HMAC key) would. Tests state the classification
 * (kind, file, line, seq); two pin the message text a user reads.
 */
class AuditVerifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Where the verifier found the first damage, and what it calls it. */
    private record Found(Kind kind, String file, int line, long seq) {}

    private Found found() throws Exception {
        Tampering problem = TestLog.verify(dir).problem().orElseThrow(() -> new AssertionError("no problem found"));
        return new Found(problem.kind(), problem.file(), problem.line(), problem.seq());
    }

    @BeforeEach
    void writeLog() throws Exception {
        TestLog.writeThreeSegments(dir);
    }

    @Test
    void anUntouchedLogVerifies() throws Exception {
        VerificationReport report = TestLog.verify(dir);

        assertTrue(report.ok(), problem(dir));
        assertEquals(3, report.segments());
        assertEquals(15, report.records());
        assertEquals(1, report.firstSeq());
        assertEquals(15, report.lastSeq());
        assertEquals(hashOf(lines(segment(dir, 3)).get(4)), report.lastHash());
    }

    @Test
    void anEditedFieldIsReportedAsEditedAtItsLine() throws Exception {
        List<String> lines = lines(segment(dir, 1));
        lines.set(2, lines.get(2).replace("\"allow\":false", "\"allow\":true"));
        write(segment(dir, 1), lines);

        assertEquals(new Found(Kind.EDITED, "00000001.jsonl", 3, 3), found());
        assertEquals("00000001.jsonl line 3 (seq 3): edited: its content does not match its hash", problem(dir));
    }

    @Test
    void aDeletedLineIsReportedAsDeletedWhereTheGapIs() throws Exception {
        List<String> lines = lines(segment(dir, 2));
        lines.remove(2); // seq 8
        write(segment(dir, 2), lines);

        assertEquals(new Found(Kind.DELETED, "00000002.jsonl", 3, 9), found());
    }

    @Test
    void aForgedLineWithARecomputedHashIsReportedAsInserted() throws Exception {
        List<String> lines = lines(segment(dir, 2));
        String forged = forgedRecord(8, hashOf(lines.get(1)));
        lines.add(2, forged); // between seq 7 and the genuine seq 8
        write(segment(dir, 2), lines);

        assertEquals(new Found(Kind.INSERTED, "00000002.jsonl", 3, 8), found());
    }

    @Test
    void aForgedLineWithoutAValidHashIsReportedAsInserted() throws Exception {
        List<String> lines = lines(segment(dir, 2));
        lines.add(2, lines.get(2).replace("\"allow\":true", "\"allow\":false"));
        write(segment(dir, 2), lines);

        assertEquals(new Found(Kind.INSERTED, "00000002.jsonl", 3, 8), found());
    }

    @Test
    void aReplayedCopyOfAnEarlierLineIsReportedAsInserted() throws Exception {
        List<String> lines = lines(segment(dir, 2));
        lines.add(4, lines.get(0)); // seq 6 again, after seq 9
        write(segment(dir, 2), lines);

        assertEquals(new Found(Kind.INSERTED, "00000002.jsonl", 5, 6), found());
    }

    @Test
    void twoSwappedLinesAreReportedAsReordered() throws Exception {
        List<String> lines = lines(segment(dir, 1));
        Collections.swap(lines, 1, 2); // seq 2 and seq 3
        write(segment(dir, 1), lines);

        assertEquals(new Found(Kind.REORDERED, "00000001.jsonl", 2, 3), found());
    }

    @Test
    void aSealedSegmentCutInTheMiddleOfALineIsReportedAsTruncated() throws Exception {
        byte[] bytes = Files.readAllBytes(segment(dir, 1));
        int fourthLine = lines(segment(dir, 1)).subList(0, 3).stream().mapToInt(l -> l.length() + 1).sum();
        Files.write(segment(dir, 1), java.util.Arrays.copyOf(bytes, fourthLine + 20));

        assertEquals(new Found(Kind.TRUNCATED, "00000001.jsonl", 4, -1), found());
    }

    @Test
    void aSealedSegmentCutAtALineEndIsReportedAsTruncatedAgainstItsDigest() throws Exception {
        write(segment(dir, 1), lines(segment(dir, 1)).subList(0, 3));

        assertEquals(new Found(Kind.TRUNCATED, "00000001.jsonl", 0, -1), found());
    }

    @Test
    void theOpenSegmentCutInTheMiddleOfALineIsReportedAsACrashTruncation() throws Exception {
        byte[] bytes = Files.readAllBytes(segment(dir, 3));
        Files.write(segment(dir, 3), java.util.Arrays.copyOf(bytes, bytes.length - 30));

        assertEquals(new Found(Kind.TRUNCATED, "00000003.jsonl", 5, -1), found());
    }

    @Test
    void aDeletedMiddleSegmentIsReportedAsMissing() throws Exception {
        Files.delete(segment(dir, 2));
        Files.delete(digest(dir, 2));

        assertEquals(new Found(Kind.MISSING_SEGMENT, "00000002.jsonl", 0, -1), found());
        assertEquals("00000002.jsonl: missing segment: the log goes from 00000001.jsonl to 00000003.jsonl; records"
                + " from seq 6 on are gone with it", problem(dir));
    }

    @Test
    void aDeletedFirstSegmentIsReportedAsMissingWhenNoRetentionRecordAccountsForIt() throws Exception {
        Files.delete(segment(dir, 1));
        Files.delete(digest(dir, 1));

        assertEquals(new Found(Kind.MISSING_SEGMENT, "00000001.jsonl", 0, -1), found());
    }

    @Test
    void aSegmentDeletedWithoutItsDigestIsReportedAsMissing() throws Exception {
        Files.delete(segment(dir, 2));

        assertEquals(new Found(Kind.MISSING_SEGMENT, "00000002.jsonl", 0, -1), found());
    }

    @Test
    void anEditedDigestIsReportedAsAltered() throws Exception {
        String digest = Files.readString(digest(dir, 1));
        Files.writeString(digest(dir, 1), digest.replace("\"records\":5", "\"records\":4"));

        assertEquals(new Found(Kind.DIGEST_ALTERED, "00000001.digest.json", 0, -1), found());
    }

    @Test
    void aDeletedDigestOfAnOlderSegmentIsReportedAsAltered() throws Exception {
        Files.delete(digest(dir, 1));

        assertEquals(new Found(Kind.DIGEST_ALTERED, "00000001.digest.json", 0, -1), found());
    }

    @Test
    void digestsCheckedWithAnotherKeyNameBothKeys() throws Exception {
        Path otherKey = dir.resolve("other.key");
        Files.writeString(otherKey, "00".repeat(32) + "\n");
        AuditKey other = AuditKey.read(otherKey);

        VerificationReport report = new AuditVerifier(other).verify(dir);

        assertEquals("00000001.digest.json: digest altered: it does not match its HMAC: it names key "
                + TestLog.key(dir).id() + " but the key given is " + other.id() + " (a different key, or an edited"
                + " digest)", report.problem().orElseThrow().message());
    }

    @Test
    void aSealedSegmentRewrittenWithRecomputedHashesIsReportedAsEditedAgainstItsDigest() throws Exception {
        List<String> lines = lines(segment(dir, 1));
        String prev = hashOf(lines.get(1));
        for (int i = 2; i < 5; i++) { // rewrite seq 3 to 5, each linked to the rewritten one before
            String line = forgedRecord(i + 1, prev);
            lines.set(i, line);
            prev = hashOf(line);
        }
        write(segment(dir, 1), lines);

        assertEquals(new Found(Kind.EDITED, "00000001.jsonl", 0, -1), found());
    }

    @Test
    void aRecordAppendedAfterASealedSegmentsEndIsReportedAsInserted() throws Exception {
        List<String> lines = lines(segment(dir, 1));
        lines.add(forgedRecord(6, hashOf(lines.get(4)))); // chains on from seq 5, as if the segment were open
        write(segment(dir, 1), lines);

        assertEquals(new Found(Kind.INSERTED, "00000001.jsonl", 6, 6), found());
    }

    /** What a tamperer who knows the format writes: a well-formed record with a correct SHA-256. */
    private static String forgedRecord(int seq, String prev) {
        PreparedRecord record = PreparedRecord.builder(PreparedRecord.DECISION, TestLog.START)
                .put("decision_id", "forged-" + seq)
                .put("allow", true)
                .build();
        byte[] line = RecordCodec.encode(record, seq, prev, Sha256.newDigest()).line();
        return new String(line, 0, line.length - 1, StandardCharsets.UTF_8);
    }

    private static String hashOf(String line) throws Exception {
        return JSON.readTree(line).path("hash").asText();
    }
}
