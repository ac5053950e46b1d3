package dev.redline.pdp.server.audit.chain;

import static dev.redline.pdp.server.audit.chain.TestLog.digest;
import static dev.redline.pdp.server.audit.chain.TestLog.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.server.audit.AuditSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The segment writer on its own, on the test's thread: real files, a clock the test moves. */
class SegmentWriterTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(TestLog.START);
    private final List<Boolean> writable = new CopyOnWriteArrayList<>();
    private final List<SegmentWriter> opened = new ArrayList<>();
    private int made;

    @AfterEach
    void closeAll() {
        opened.forEach(SegmentWriter::close);
    }

    private SegmentWriter open(AuditSettings settings) throws Exception {
        ChainSettings chain = settings.chain();
        AuditKey key = AuditKey.readOrGenerate(chain.keyFile(), true);
        SegmentWriter writer = SegmentWriter.open(chain, key, clock, (ok, reason) -> writable.add(ok));
        opened.add(writer);
        return writer;
    }

    private SegmentWriter open() throws Exception {
        return open(TestLog.settings(dir));
    }

    private List<PreparedRecord> records(int count) {
        List<PreparedRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(TestLog.record(++made, clock.instant()));
        }
        return records;
    }

    @Test
    void aBatchIsChainedInOrderAndReadableOnceWritten() throws Exception {
        SegmentWriter writer = open();

        List<AppendReceipt> receipts = writer.write(records(3));

        assertEquals(List.of(1L, 2L, 3L), receipts.stream().map(AppendReceipt::seq).toList());
        assertEquals(List.of("00000001.jsonl"), receipts.stream().map(AppendReceipt::segment).distinct().toList());
        long size = Files.size(segment(dir, 1));
        assertEquals(size, writer.readableBytes(1, size), "everything written is durable, so readable");
        assertEquals(3, TestLog.verify(dir).records());
        assertTrue(TestLog.verify(dir).ok());
    }

    @Test
    void aSegmentIsSealedOnceItsFirstRecordIsOld() throws Exception {
        SegmentWriter writer = open();
        writer.write(records(2));

        clock.advance(TestLog.SEGMENT_AGE);
        List<AppendReceipt> next = writer.write(records(1));

        assertTrue(Files.exists(digest(dir, 1)), "the old segment is sealed");
        assertEquals("00000002.jsonl", next.get(0).segment());
        assertEquals(3, next.get(0).seq(), "the chain goes on across segments");
        assertTrue(TestLog.verify(dir).ok());
    }

    @Test
    void aSegmentIsSealedOnceItIsFull() throws Exception {
        SegmentWriter writer = open(TestLog.settings(dir).withSegmentMaxBytes(1));
        writer.write(records(1));

        List<AppendReceipt> next = writer.write(records(1));

        assertTrue(Files.exists(digest(dir, 1)));
        assertEquals("00000002.jsonl", next.get(0).segment());
    }

    @Test
    void aReopenedLogContinuesTheChainWhereItEnded() throws Exception {
        SegmentWriter first = open();
        first.write(records(2));
        first.close();

        List<AppendReceipt> receipts = open().write(records(1));

        assertEquals(3, receipts.get(0).seq());
        assertEquals(3, TestLog.verify(dir).records());
    }

    @Test
    void aBatchThatCannotBeMadeDurableFailsAndTheNextIsRefusedUntilTheLogRecovers() throws Exception {
        SegmentWriter writer = open();
        writer.write(records(1));
        Files.createDirectories(digest(dir, 1)); // sealing segment 1 must now fail
        clock.advance(TestLog.SEGMENT_AGE);

        AuditUnavailableException failed = assertThrows(AuditUnavailableException.class, () -> writer.write(records(1)));
        AuditUnavailableException refused = assertThrows(AuditUnavailableException.class, () -> writer.write(records(1)));

        assertTrue(failed.getMessage().startsWith("the decision log in " + dir + " cannot be written ("),
                failed.getMessage());
        assertSame(failed, refused, "within the backoff, a later batch gets the same failure without a write");
        assertEquals(List.of(false), writable, "the listener heard once that the log is not writable");
        assertFalse(Files.exists(segment(dir, 2)));
    }
}
