package dev.redline.pdp.server.audit.chain;

import static dev.redline.pdp.server.audit.chain.TestLog.digest;
import static dev.redline.pdp.server.audit.chain.TestLog.lines;
import static dev.redline.pdp.server.audit.chain.TestLog.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log writer: what a record line is, how the chain links, when segments are sealed, how a crash tail is repaired. */
class AuditLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theHashIsTheSha256OfTheLineWithoutItsHashMember() throws Exception {
        try (TestLog log = TestLog.open(dir)) {
            log.append();
        }
        String line = lines(segment(dir, 1)).get(0);
        int hashMember = line.lastIndexOf(",\"hash\":\"");
        String body = line.substring(0, hashMember) + "}";

        assertEquals(sha256(body), JSON.readTree(line).path("hash").asText());
        assertTrue(line.endsWith("\"}"), line);
        assertEquals(hashMember + ",\"hash\":\"".length() + 64 + 2, line.length());
    }

    @Test
    void theBodyIsCanonicalJsonWithSortedMembersAndNoWhitespace() throws Exception {
        try (TestLog log = TestLog.open(dir)) {
            log.append();
        }
        String line = lines(segment(dir, 1)).get(0);

        assertEquals("{\"allow\":false,\"decision_id\":\"d-1\",\"prev\":\"" + "0".repeat(64) + "\",\"request_id\":\"r-1\","
                + "\"seq\":1,\"time\":\"2026-03-01T12:00:00Z\",\"type\":\"decision\",\"v\":1,\"hash\":\""
                + JSON.readTree(line).path("hash").asText() + "\"}", line);
    }

    @Test
    void eachRecordLinksToThePreviousHashWithTheNextSeq() throws Exception {
        List<AppendReceipt> receipts = new ArrayList<>();
        try (TestLog log = TestLog.open(dir)) {
            for (int i = 0; i < 3; i++) {
                receipts.add(log.append());
            }
        }
        List<String> lines = lines(segment(dir, 1));

        assertEquals(List.of(1L, 2L, 3L), receipts.stream().map(AppendReceipt::seq).toList());
        assertEquals("0".repeat(64), JSON.readTree(lines.get(0)).path("prev").asText());
        assertEquals(receipts.get(0).hash(), JSON.readTree(lines.get(1)).path("prev").asText());
        assertEquals(receipts.get(1).hash(), JSON.readTree(lines.get(2)).path("prev").asText());
    }

    @Test
    void recordsAppendedConcurrentlyAllGetDistinctConsecutiveSeqs() throws Exception {
        List<CompletableFuture<AppendReceipt>> futures = new ArrayList<>();
        try (TestLog log = TestLog.open(dir)) {
            for (int i = 0; i < 500; i++) {
                futures.add(log.log().append(TestLog.record(i, log.clock.instant())));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
        }
        List<Long> seqs = futures.stream().map(f -> f.join().seq()).sorted().toList();

        assertEquals(500, lines(segment(dir, 1)).size());
        assertEquals(1L, seqs.get(0));
        assertEquals(500L, seqs.get(499));
        assertEquals(500, seqs.stream().distinct().count());
        assertTrue(TestLog.verify(dir).ok(), TestLog.problem(dir));
    }

    @Test
    void aSegmentIsSealedOnceItReachesItsSizeLimit() throws Exception {
        try (TestLog log = TestLog.open(dir, TestLog.settings(dir).withSegmentMaxBytes(600))) {
            for (int i = 0; i < 5; i++) {
                log.append(); // ~260 bytes each: sealed after the third
            }
        }

        assertEquals(3, lines(segment(dir, 1)).size());
        assertTrue(Files.exists(digest(dir, 1)));
        assertEquals(2, lines(segment(dir, 2)).size());
        assertFalse(Files.exists(digest(dir, 2)));
    }

    @Test
    void aSegmentIsSealedOnceItsFirstRecordIsOlderThanTheAgeLimit() throws Exception {
        try (TestLog log = TestLog.open(dir)) {
            log.append();
            log.clock.advance(TestLog.SEGMENT_AGE.minusSeconds(1));
            log.append();
            log.clock.advance(java.time.Duration.ofSeconds(1));
            log.append();
        }

        assertEquals(2, lines(segment(dir, 1)).size());
        assertEquals(1, lines(segment(dir, 2)).size());
    }

    @Test
    void aDigestStatesTheSegmentAndLinksToThePreviousDigest() throws Exception {
        TestLog.writeThreeSegments(dir);
        JsonNode first = JSON.readTree(Files.readString(digest(dir, 1)));
        JsonNode second = JSON.readTree(Files.readString(digest(dir, 2)));
        List<String> segment2 = lines(segment(dir, 2));

        assertEquals("00000002.jsonl", second.path("segment").asText());
        assertEquals(5, second.path("records").asInt());
        assertEquals(6, second.path("first_seq").asInt());
        assertEquals(10, second.path("last_seq").asInt());
        assertEquals(JSON.readTree(segment2.get(0)).path("hash").asText(), second.path("first_hash").asText());
        assertEquals(JSON.readTree(segment2.get(4)).path("hash").asText(), second.path("last_hash").asText());
        assertEquals(Files.size(segment(dir, 2)), second.path("bytes").asLong());
        assertEquals(first.path("hmac").asText(), second.path("prev_digest").asText());
        assertEquals("0".repeat(64), first.path("prev_digest").asText());
        assertEquals(TestLog.key(dir).id(), second.path("key_id").asText());
    }

    @Test
    void theDigestHmacIsHmacSha256OfTheDigestWithoutItsHmacMember() throws Exception {
        TestLog.writeThreeSegments(dir);
        String digest = Files.readString(digest(dir, 1)).trim();
        String body = digest.substring(0, digest.lastIndexOf(",\"hmac\":\"")) + "}";
        byte[] key = HexFormat.of().parseHex(Files.readString(dir.resolve("audit.key")).trim());

        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        assertEquals(HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8))),
                JSON.readTree(digest).path("hmac").asText());
    }

    @Test
    void aKeyIsGeneratedOnFirstStartReadableByTheOwnerOnly() throws Exception {
        try (TestLog log = TestLog.open(dir)) {
            assertTrue(log.log().key().generated());
            assertEquals(dir.resolve("audit.key"), log.log().key().file());
        }
        Path key = dir.resolve("audit.key");

        assertTrue(Files.readString(key).trim().matches("[0-9a-f]{64}"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }

    @Test
    void theGeneratedKeyIsReusedOnTheNextStart() throws Exception {
        String firstId;
        try (TestLog log = TestLog.open(dir)) {
            firstId = log.log().key().id();
        }
        try (TestLog log = TestLog.open(dir)) {
            assertFalse(log.log().key().generated());
            assertEquals(firstId, log.log().key().id());
        }
    }

    @Test
    void aConfiguredKeyFileThatDoesNotExistIsRefusedNotGenerated() {
        Path missing = dir.resolve("elsewhere.key");

        AuditLogException e = assertThrows(AuditLogException.class,
                () -> TestLog.open(dir, TestLog.settings(dir).withKeyFile(missing)));

        assertEquals("audit key file " + missing + " does not exist", e.getMessage());
        assertFalse(Files.exists(missing));
    }

    @Test
    void aLogWithSealedSegmentsWhoseKeyIsMissingIsRefused() throws Exception {
        TestLog.writeThreeSegments(dir);
        Files.delete(dir.resolve("audit.key"));

        AuditLogException e = assertThrows(AuditLogException.class, () -> TestLog.open(dir));

        assertEquals("the decision log in " + dir + " has sealed segments but its key file " + dir.resolve("audit.key")
                + " is missing; restore the key (or pass --audit-key-file) rather than start a new one", e.getMessage());
    }

    @Test
    void reopeningContinuesTheChainWhereItStopped() throws Exception {
        AppendReceipt last;
        try (TestLog log = TestLog.open(dir)) {
            log.append();
            last = log.append();
        }
        try (TestLog log = TestLog.open(dir)) {
            log.append();
        }
        JsonNode third = JSON.readTree(lines(segment(dir, 1)).get(2));

        assertEquals(3, third.path("seq").asInt());
        assertEquals(last.hash(), third.path("prev").asText());
        assertTrue(TestLog.verify(dir).ok(), TestLog.problem(dir));
    }

    @Test
    void reopeningAfterASealContinuesInANewSegmentLinkedToTheDigest() throws Exception {
        TestLog.writeThreeSegments(dir);
        try (TestLog log = TestLog.open(dir)) {
            log.clock.advance(TestLog.SEGMENT_AGE.multipliedBy(3));
            log.append();
        }

        assertEquals(1, lines(segment(dir, 4)).size());
        assertEquals(16, JSON.readTree(lines(segment(dir, 4)).get(0)).path("seq").asInt());
        assertTrue(TestLog.verify(dir).ok(), TestLog.problem(dir));
    }

    @Test
    void aCutOffLastLineIsRemovedOnOpenAndARepairRecordContinuesTheChain() throws Exception {
        try (TestLog log = TestLog.open(dir)) {
            for (int i = 0; i < 3; i++) {
                log.append();
            }
        }
        long intact = Files.size(segment(dir, 1));
        String cutOff = "{\"allow\":true,\"decision_id\":\"d-4\",\"pr";
        Files.writeString(segment(dir, 1), cutOff, StandardOpenOption.APPEND);

        try (TestLog log = TestLog.open(dir)) {
            assertEquals("cut off a damaged tail of 00000001.jsonl (a write interrupted by a crash); recorded as repair"
                    + " record seq 4", log.log().openingRepair().orElseThrow());
            log.append();
        }
        List<String> lines = lines(segment(dir, 1));
        JsonNode repair = JSON.readTree(lines.get(3));

        assertEquals(5, lines.size());
        assertEquals("repair", repair.path("type").asText());
        assertEquals(4, repair.path("seq").asInt());
        assertEquals(intact, repair.path("valid_bytes").asLong());
        assertEquals(cutOff.length(), repair.path("truncated_bytes").asLong());
        assertEquals(1, repair.path("dropped_lines").asInt());
        assertTrue(TestLog.verify(dir).ok(), TestLog.problem(dir));
    }

    @Test
    void aTailOfNulBytesLeftByACrashIsRemovedOnOpen() throws Exception {
        try (TestLog log = TestLog.open(dir)) {
            log.append();
        }
        Files.write(segment(dir, 1), new byte[4096], StandardOpenOption.APPEND);

        try (TestLog log = TestLog.open(dir)) {
            assertTrue(log.log().openingRepair().isPresent());
        }

        assertTrue(TestLog.verify(dir).ok(), TestLog.problem(dir));
        assertEquals(2, lines(segment(dir, 1)).size());
    }

    @Test
    void damageFollowedByAnIntactRecordIsRefusedRatherThanCut() throws Exception {
        try (TestLog log = TestLog.open(dir)) {
            for (int i = 0; i < 3; i++) {
                log.append();
            }
        }
        List<String> lines = lines(segment(dir, 1));
        lines.set(1, lines.get(1).replace("\"allow\":true", "\"allow\":false"));
        TestLog.write(segment(dir, 1), lines);

        AuditLogException e = assertThrows(AuditLogException.class, () -> TestLog.open(dir));

        assertEquals("00000001.jsonl line 2 is damaged but intact records follow it (line 3): this is not a cut-off"
                + " write; run `pdp audit verify " + dir + "` and move the damaged log aside", e.getMessage());
    }

    @Test
    void anAuditDirectoryThatIsAFileIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

        AuditLogException e = assertThrows(AuditLogException.class, () -> TestLog.open(file));

        assertEquals("audit directory " + file + " exists but is not a directory", e.getMessage());
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
