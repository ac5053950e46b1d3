package dev.redline.pdp.server.audit.chain;

import dev.redline.pdp.server.files.DirectoryLock;

import static dev.redline.pdp.server.audit.chain.TestLog.lines;
import static dev.redline.pdp.server.audit.chain.TestLog.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a run of the log ends: stopped cleanly with a stopped record, or not, as the next start finds it. */
class AuditLogStopTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aStoppedLogEndsWithAStoppedRecordAfterEverythingQueued() throws Exception {
        try (TestLog log = TestLog.open(dir)) {
            log.append();
            CompletableFuture<AppendReceipt> queued = log.log().append(TestLog.record(2, log.clock.instant()));

            assertTrue(log.log().stop(WAIT), "the stopped record is durable");
            assertEquals(2, queued.get(1, TimeUnit.MINUTES).seq(), "what was queued before the stop is written");
        }
        List<String> lines = lines(segment(dir, 1));
        JsonNode last = JSON.readTree(lines.get(lines.size() - 1));

        assertEquals(3, lines.size());
        assertEquals(PreparedRecord.STOPPED, last.path("type").asText());
        assertEquals(3, last.path("seq").asLong());
        assertTrue(TestLog.verify(dir).ok(), TestLog.problem(dir));
    }

    @Test
    void theNextStartFindsAStoppedLogStoppedCleanly() throws Exception {
        try (TestLog log = TestLog.open(dir)) {
            log.append();
            log.log().stop(WAIT);
        }

        try (TestLog reopened = TestLog.open(dir)) {
            assertEquals(Optional.empty(), reopened.log().uncleanEnd());
            assertEquals(3, reopened.append().seq(), "the chain goes on after the stopped record");
        }
    }

    @Test
    void theNextStartFindsALogThatWasNotStoppedEndedUncleanly() throws Exception {
        try (TestLog log = TestLog.open(dir)) {
            log.append();
            log.append();
        } // closed without a stopped record: as a kill after the last write leaves it

        try (TestLog reopened = TestLog.open(dir)) {
            assertEquals(Optional.of("the run before this one did not stop cleanly: its log ends at seq 2 without a"
                    + " stopped record (it was killed, crashed or lost power)"), reopened.log().uncleanEnd());
        }
    }

    @Test
    void aRunThatEndedOnASealedSegmentDidNotStopCleanly() throws Exception {
        MutableClock clock = new MutableClock(TestLog.START);
        ChainSettings settings = TestLog.settings(dir).chain();
        AuditKey key = AuditKey.readOrGenerate(settings.keyFile(), true);
        SegmentWriter writer = SegmentWriter.open(settings, key, clock, (ok, reason) -> {},
                DirectoryLock.acquire(settings.dir()));
        writer.write(List.of(TestLog.record(1, clock.instant())));
        clock.advance(TestLog.SEGMENT_AGE);
        writer.idle(); // seals the old segment; a stop would have written its record after this
        writer.close();
        assertTrue(java.nio.file.Files.exists(TestLog.digest(dir, 1)), "the segment is sealed");

        SegmentWriter reopened = SegmentWriter.open(settings, key, clock, (ok, reason) -> {},
                DirectoryLock.acquire(settings.dir()));
        try {
            assertEquals(Optional.of("the run before this one did not stop cleanly: its log ends at seq 1 without a"
                    + " stopped record (it was killed, crashed or lost power)"), reopened.uncleanEnd());
        } finally {
            reopened.close();
        }
    }

    @Test
    void aNewLogHasNoUncleanEnd() throws Exception {
        try (TestLog log = TestLog.open(dir)) {
            assertEquals(Optional.empty(), log.log().uncleanEnd());
        }
    }

    @Test
    void anAppendAfterTheStopFailsAtOnce() throws Exception {
        try (TestLog log = TestLog.open(dir)) {
            log.log().stop(WAIT);

            CompletableFuture<AppendReceipt> late = log.log().append(TestLog.record(1, log.clock.instant()));

            ExecutionException failed = assertThrows(ExecutionException.class, () -> late.get(1, TimeUnit.MINUTES));
            assertInstanceOf(AuditUnavailableException.class, failed.getCause());
            assertEquals("the decision log is closed", failed.getCause().getMessage());
        }
        assertEquals(1, lines(segment(dir, 1)).size(), "only the stopped record");
    }
}
