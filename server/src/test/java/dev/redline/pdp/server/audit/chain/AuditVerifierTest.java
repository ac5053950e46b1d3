package dev.redline.pdp.server.audit.chain;

import static dev.redline.pdp.server.audit.chain.TestLog.digest;
import static dev.redline.pdp.server.audit.chain.TestLog.lines;
import static dev.redline.pdp.server.audit.chain.TestLog.problem;
import static dev.redline.pdp.server.audit.chain.TestLog.segment;
import static dev.redline.pdp.server.audit.chain.TestLog.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
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
 * tamperer with write access (but without the HMAC key) would.
 */
class AuditVerifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

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

        assertEquals("00000001.jsonl line 3 (seq 3): edited: its content does not match its hash", problem(dir));
    }

    @Test
    void aDeletedLineIsReportedAsDeletedWhereTheGapIs() throws Exception {
        List<String> lines = lines(segment(dir, 2));
        lines.remove(2); // seq 8
        write(segment(dir, 2), lines);

        assertEquals("00000002.jsonl line 3 (seq 9): deleted: seq 8 is missing before it (the chain stood at seq 7,"
                + " 00000002.jsonl line 2)", problem(dir));
    }

    @Test
    void aForgedLineWithARecomputedHashIsReportedAsInserted() throws Exception {
        List<String> lines = lines(segment(dir, 2));
        String forged = forgedRecord(8, hashOf(lines.get(1)));
        lines.add(2, forged); // between seq 7 and the genuine seq 8
        write(segment(dir, 2), lines);

        assertEquals("00000002.jsonl line 3 (seq 8): inserted: line 4 also claims seq 8 and the chain continues from"
                + " that one (line 5)", problem(dir));
    }

    @Test
    void aForgedLineWithoutAValidHashIsReportedAsInserted() throws Exception {
        List<String> lines = lines(segment(dir, 2));
        lines.add(2, lines.get(2).replace("\"allow\":true", "\"allow\":false"));
        write(segment(dir, 2), lines);

        assertEquals("00000002.jsonl line 3 (seq 8): inserted: it does not match its hash and line 4 continues the"
                + " chain from 00000002.jsonl line 2 without it", problem(dir));
    }

    @Test
    void aReplayedCopyOfAnEarlierLineIsReportedAsInserted() throws Exception {
        List<String> lines = lines(segment(dir, 2));
        lines.add(4, lines.get(0)); // seq 6 again, after seq 9
        write(segment(dir, 2), lines);

        assertEquals("00000002.jsonl line 5 (seq 6): inserted: seq 6 was already recorded at line 1; this is a copy"
                + " or a replay", problem(dir));
    }

    @Test
    void twoSwappedLinesAreReportedAsReordered() throws Exception {
        List<String> lines = lines(segment(dir, 1));
        Collections.swap(lines, 1, 2); // seq 2 and seq 3
        write(segment(dir, 1), lines);

        assertEquals("00000001.jsonl line 2 (seq 3): reordered: seq 3 comes before seq 2 (line 3)", problem(dir));
    }

    @Test
    void aSealedSegmentCutInTheMiddleOfALineIsReportedAsTruncated() throws Exception {
        byte[] bytes = Files.readAllBytes(segment(dir, 1));
        int fourthLine = lines(segment(dir, 1)).subList(0, 3).stream().mapToInt(l -> l.length() + 1).sum();
        Files.write(segment(dir, 1), java.util.Arrays.copyOf(bytes, fourthLine + 20));

        assertEquals("00000001.jsonl line 4: truncated: the last line is cut short (no newline, or bytes never"
                + " written): the segment was sealed, so this is damage", problem(dir));
    }

    @Test
    void aSealedSegmentCutAtALineEndIsReportedAsTruncatedAgainstItsDigest() throws Exception {
        write(segment(dir, 1), lines(segment(dir, 1)).subList(0, 3));

        assertEquals("00000001.jsonl: truncated: it ends at seq 3 after 3 records, but its digest sealed 5 records,"
                + " seq 1 to 5", problem(dir));
    }

    @Test
    void theOpenSegmentCutInTheMiddleOfALineIsReportedAsACrashTruncation() throws Exception {
        byte[] bytes = Files.readAllBytes(segment(dir, 3));
        Files.write(segment(dir, 3), java.util.Arrays.copyOf(bytes, bytes.length - 30));

        assertEquals("00000003.jsonl line 5: truncated: the last line is cut short (no newline, or bytes never"
                + " written): a write interrupted by a crash; the server cuts it off when it next opens the log",
                problem(dir));
    }

    @Test
    void aDeletedMiddleSegmentIsReportedAsMissing() throws Exception {
        Files.delete(segment(dir, 2));
        Files.delete(digest(dir, 2));

        assertEquals("00000002.jsonl: missing segment: the log goes from 00000001.jsonl to 00000003.jsonl; records"
                + " from seq 6 on are gone with it", problem(dir));
    }

    @Test
    void aDeletedFirstSegmentIsReportedAsMissingWhenNoRetentionRecordAccountsForIt() throws Exception {
        Files.delete(segment(dir, 1));
        Files.delete(digest(dir, 1));

        assertEquals("00000001.jsonl: missing segment: the log starts at 00000002.jsonl and no retention record"
                + " accounts for 00000001.jsonl", problem(dir));
    }

    @Test
    void aSegmentDeletedWithoutItsDigestIsReportedAsMissing() throws Exception {
        Files.delete(segment(dir, 2));

        assertEquals("00000002.jsonl: missing segment: its digest 00000002.digest.json is there but the segment is"
                + " not", problem(dir));
    }

    @Test
    void anEditedDigestIsReportedAsAltered() throws Exception {
        String digest = Files.readString(digest(dir, 1));
        Files.writeString(digest(dir, 1), digest.replace("\"records\":5", "\"records\":4"));

        assertEquals("00000001.digest.json: digest altered: it does not match its HMAC: its content was changed after"
                + " sealing", problem(dir));
    }

    @Test
    void aDeletedDigestOfAnOlderSegmentIsReportedAsAltered() throws Exception {
        Files.delete(digest(dir, 1));

        assertEquals("00000001.digest.json: digest altered: it is missing, yet only the newest segment may be unsealed"
                + " (00000001.jsonl is not the newest)", problem(dir));
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

        String problem = problem(dir);
        assertTrue(problem.startsWith("00000001.jsonl: edited: its records were rewritten and re-hashed: the chain"
                + " ends in hash "), problem);
    }

    @Test
    void aRecordAppendedAfterASealedSegmentsEndIsReportedAsInserted() throws Exception {
        List<String> lines = lines(segment(dir, 1));
        lines.add(forgedRecord(6, hashOf(lines.get(4)))); // chains on from seq 5, as if the segment were open
        write(segment(dir, 1), lines);

        assertEquals("00000001.jsonl line 6 (seq 6): inserted: the segment was sealed at seq 5; this record was"
                + " added after", problem(dir));
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
