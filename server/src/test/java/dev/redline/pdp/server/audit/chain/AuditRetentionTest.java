package dev.redline.pdp.server.audit.chain;

import static dev.redline.pdp.server.audit.chain.TestLog.digest;
import static dev.redline.pdp.server.audit.chain.TestLog.lines;
import static dev.redline.pdp.server.audit.chain.TestLog.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Old sealed segments are deleted by size or age, and the deletion is itself a record in the chain,
 * so verification sees a retention cut, not tampering. Every test starts from 00000001.jsonl
 * (seq 1-5, records at 12:00) and 00000002.jsonl (seq 6-10, 12:10) sealed, 00000003.jsonl
 * (seq 11-15, 12:20) open.
 */
class AuditRetentionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private JsonNode firstDigest;

    @BeforeEach
    void writeLog() throws Exception {
        TestLog.writeThreeSegments(dir);
        firstDigest = JSON.readTree(Files.readString(digest(dir, 1)));
    }

    @Test
    void segmentsOlderThanTheRetentionAgeAreDeletedAndTheDeletionIsRecorded() throws Exception {
        try (TestLog log = TestLog.open(dir, TestLog.settings(dir).withRetainMaxAge(Duration.ofMinutes(15)))) {
            log.clock.advance(Duration.ofMinutes(25)); // 12:25: 00000001's newest record is 25 minutes old
            log.append();
        }

        assertFalse(Files.exists(segment(dir, 1)));
        assertFalse(Files.exists(digest(dir, 1)));
        assertTrue(Files.exists(segment(dir, 2)));
        JsonNode deleted = onlyRetentionRecord().path("deleted");
        assertEquals(1, deleted.size());
        assertEquals("00000001.jsonl", deleted.get(0).path("segment").asText());
        assertEquals(5, deleted.get(0).path("last_seq").asInt());
        assertEquals(firstDigest.path("last_hash").asText(), deleted.get(0).path("last_hash").asText());
        assertEquals(firstDigest.path("hmac").asText(), deleted.get(0).path("digest_hmac").asText());
        assertEquals("max-age", deleted.get(0).path("reason").asText());
    }

    @Test
    void aRetentionCutVerifiesWithANoteNamingTheRecordThatMadeIt() throws Exception {
        try (TestLog log = TestLog.open(dir, TestLog.settings(dir).withRetainMaxAge(Duration.ofMinutes(15)))) {
            log.clock.advance(Duration.ofMinutes(25));
            log.append();
        }

        VerificationReport report = TestLog.verify(dir);

        assertTrue(report.ok(), TestLog.problem(dir));
        assertEquals(List.of("segments up to 00000001.jsonl (seq 1 to 5) were deleted by retention, as recorded by seq 16"
                + " in 00000003.jsonl"), report.notes());
        assertEquals(6, report.firstSeq());
        assertEquals(17, report.lastSeq());
    }

    @Test
    void theOldestSegmentsAreDeletedWhileTheLogIsOverItsSizeLimitButNeverTheNewestSealedOne() throws Exception {
        try (TestLog log = TestLog.open(dir, TestLog.settings(dir).withRetainMaxBytes(1))) {
            log.append();
        }

        assertFalse(Files.exists(segment(dir, 1)));
        assertTrue(Files.exists(segment(dir, 2)), "the open segment's digest links to the newest sealed one");
        assertTrue(Files.exists(digest(dir, 2)));
        assertEquals("max-bytes", onlyRetentionRecord().path("deleted").get(0).path("reason").asText());
        assertTrue(TestLog.verify(dir).ok(), TestLog.problem(dir));
    }

    @Test
    void withoutRetentionLimitsNothingIsEverDeleted() throws Exception {
        try (TestLog log = TestLog.open(dir)) {
            log.clock.advance(Duration.ofDays(3650));
            log.append();
        }

        assertTrue(Files.exists(segment(dir, 1)));
        assertTrue(retentionRecords().isEmpty());
    }

    @Test
    void aSegmentMissingAfterARetentionCutIsStillReportedAsMissing() throws Exception {
        try (TestLog log = TestLog.open(dir, TestLog.settings(dir).withRetainMaxAge(Duration.ofMinutes(15)))) {
            log.clock.advance(Duration.ofMinutes(25));
            log.append();
        }
        Files.delete(segment(dir, 2));
        Files.delete(digest(dir, 2));

        assertEquals("00000002.jsonl: missing segment: the log starts at 00000003.jsonl and no retention record"
                + " accounts for 00000002.jsonl", TestLog.problem(dir));
    }

    /** A retention cut of 00000001 that a crash interrupted after the segment was deleted, before its digest was. */
    private void cutInterruptedBeforeTheDigestWasDeleted() throws Exception {
        byte[] digestBeforeTheCut = Files.readAllBytes(digest(dir, 1));
        try (TestLog log = TestLog.open(dir, TestLog.settings(dir).withRetainMaxAge(Duration.ofMinutes(15)))) {
            log.clock.advance(Duration.ofMinutes(25));
            log.append();
        }
        Files.write(digest(dir, 1), digestBeforeTheCut); // the state the crash left: record durable, digest still there
    }

    @Test
    void aDigestACrashLeftBehindARetentionCutVerifiesWithANoteNotAsAMissingSegment() throws Exception {
        cutInterruptedBeforeTheDigestWasDeleted();

        VerificationReport report = TestLog.verify(dir);

        assertTrue(report.ok(), TestLog.problem(dir));
        assertEquals(List.of(
                "00000001.digest.json is left over from the retention cut recorded by seq 16 in 00000003.jsonl (a crash"
                        + " came between deleting 00000001.jsonl and its digest); the server deletes it when it next"
                        + " opens the log",
                "segments up to 00000001.jsonl (seq 1 to 5) were deleted by retention, as recorded by seq 16 in"
                        + " 00000003.jsonl"), report.notes());
        assertEquals(2, report.segments());
        assertEquals(6, report.firstSeq());
    }

    @Test
    void reopeningTheLogDeletesADigestACrashLeftBehindARetentionCut() throws Exception {
        cutInterruptedBeforeTheDigestWasDeleted();

        try (TestLog log = TestLog.open(dir)) {
            log.append();
        }

        assertFalse(Files.exists(digest(dir, 1)));
        assertTrue(Files.exists(digest(dir, 2)));
        VerificationReport report = TestLog.verify(dir);
        assertTrue(report.ok(), TestLog.problem(dir));
        assertEquals(List.of("segments up to 00000001.jsonl (seq 1 to 5) were deleted by retention, as recorded by seq 16"
                + " in 00000003.jsonl"), report.notes());
    }

    @Test
    void aLeftoverDigestWithAnotherHmacThanTheRetentionRecordNamesIsAMissingSegmentAndIsKept() throws Exception {
        cutInterruptedBeforeTheDigestWasDeleted();
        Files.write(digest(dir, 1), Files.readAllBytes(digest(dir, 2))); // a valid digest, but not the one deleted

        try (TestLog log = TestLog.open(dir)) {
            log.append();
        }

        assertTrue(Files.exists(digest(dir, 1)));
        assertEquals("00000001.jsonl: missing segment: its digest 00000001.digest.json is there but the segment is not",
                TestLog.problem(dir));
    }

    @Test
    void aDigestWhoseSegmentWasDeletedWithoutARetentionRecordIsAMissingSegmentAndIsKept() throws Exception {
        Files.delete(segment(dir, 1));

        try (TestLog log = TestLog.open(dir)) {
            log.append();
        }

        assertTrue(Files.exists(digest(dir, 1)));
        assertEquals("00000001.jsonl: missing segment: its digest 00000001.digest.json is there but the segment is not",
                TestLog.problem(dir));
    }

    private JsonNode onlyRetentionRecord() throws Exception {
        List<JsonNode> records = retentionRecords();
        assertEquals(1, records.size(), records.toString());
        return records.get(0);
    }

    private List<JsonNode> retentionRecords() throws Exception {
        List<JsonNode> records = new ArrayList<>();
        for (SegmentFile segment : SegmentFile.list(dir)) {
            if (segment.hasLog()) {
                for (String line : lines(segment.log())) {
                    JsonNode record = JSON.readTree(line);
                    if (record.path("type").asText().equals("retention")) {
                        records.add(record);
                    }
                }
            }
        }
        return records;
    }
}
