package dev.redline.pdp.server.audit.chain;

import static dev.redline.pdp.server.audit.chain.TestLog.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.server.audit.AuditReader;
import dev.redline.pdp.server.audit.DecisionQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listing by time reads only the segments that can hold matches: a sealed segment whose digest
 * puts all its records outside the window is skipped; the open segment, having no digest, is
 * always read. Every test starts from 00000001.jsonl (d-1 to d-5 at 12:00) and 00000002.jsonl
 * (d-6 to d-10 at 12:10) sealed, 00000003.jsonl (d-11 to d-15 at 12:20) open.
 *
 * <p>To see which segments are read, a test plants a decision in a segment at a time its digest
 * does not cover (the reader reads, it does not verify): the plant is listed only if the segment
 * was read.
 */
class AuditReaderTest {
    private static final Instant T1200 = TestLog.START;
    private static final Instant T1210 = T1200.plus(Duration.ofMinutes(10));
    private static final Instant T1220 = T1200.plus(Duration.ofMinutes(20));

    @TempDir
    Path dir;

    @BeforeEach
    void writeLog() throws Exception {
        TestLog.writeThreeSegments(dir);
    }

    private List<String> idsBetween(Optional<Instant> since, Optional<Instant> until) throws Exception {
        AuditReader reader = new AuditReader(dir, (segment, bytes) -> bytes);
        List<String> ids = new ArrayList<>();
        reader.list(new DecisionQuery(since, until, Optional.empty(), Optional.empty(), Optional.empty(), 0, false),
                decision -> ids.add(decision.decisionId()));
        return ids;
    }

    private static List<String> ids(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int n = from; n <= to; n++) {
            ids.add("d-" + n);
        }
        return ids;
    }

    /** Appends a decision {@code d-<n>} stamped {@code time} to segment {@code number}. */
    private void plant(int number, int n, Instant time) throws Exception {
        RecordCodec.Encoded encoded = RecordCodec.encode(TestLog.record(n, time), 1000 + n, Sha256.GENESIS,
                Sha256.newDigest());
        Files.write(segment(dir, number), encoded.line(), StandardOpenOption.APPEND);
    }

    @Test
    void aTimeWindowListsTheDecisionsOfEverySegmentItSpansInLogOrder() throws Exception {
        assertEquals(ids(1, 10), idsBetween(Optional.of(T1200), Optional.of(T1220)));
    }

    @Test
    void sealedSegmentsWhoseNewestRecordIsBeforeSinceAreNotRead() throws Exception {
        plant(1, 99, T1220.plus(Duration.ofMinutes(5)));
        assertTrue(idsBetween(Optional.empty(), Optional.empty()).contains("d-99"), "the plant is listed when read");

        List<String> listed = idsBetween(Optional.of(T1210), Optional.empty());

        assertEquals(ids(6, 15), listed);
    }

    @Test
    void sealedSegmentsWhoseOldestRecordIsNotBeforeUntilAreNotRead() throws Exception {
        plant(2, 99, T1200.plus(Duration.ofMinutes(5)));
        assertTrue(idsBetween(Optional.empty(), Optional.empty()).contains("d-99"), "the plant is listed when read");

        List<String> listed = idsBetween(Optional.empty(), Optional.of(T1210));

        assertEquals(ids(1, 5), listed);
    }

    @Test
    void theOpenSegmentIsReadWhateverTheWindowBecauseNoDigestBoundsIt() throws Exception {
        plant(3, 99, T1200.minus(Duration.ofMinutes(5)));

        List<String> listed = idsBetween(Optional.empty(), Optional.of(T1200.plusSeconds(1)));

        List<String> expected = ids(1, 5);
        expected.add("d-99");
        assertEquals(expected, listed);
    }
}
