package dev.redline.pdp.server.audit.chain;

import static dev.redline.pdp.server.audit.chain.TestLog.lines;
import static dev.redline.pdp.server.audit.chain.TestLog.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@link SyncMode#WRITE} a record is acknowledged once written, and it is in the segment
 * file — where a crash of the process cannot take it — by the time it is acknowledged.
 */
class AuditLogWriteSyncTest {
    @TempDir
    Path dir;

    @Test
    void anAcknowledgedRecordIsInTheSegmentFileBeforeAnyForce() throws Exception {
        // an interval no test reaches: nothing but the write itself can have put the lines there
        try (TestLog log = TestLog.open(dir, TestLog.settings(dir).withSync(SyncMode.WRITE)
                .withSyncInterval(Duration.ofHours(1)))) {
            List<AppendReceipt> receipts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                receipts.add(log.append());
            }

            assertEquals(3, lines(segment(dir, 1)).size());
            assertEquals(3, receipts.get(2).seq());
        }
    }

    @Test
    void recordsWrittenBetweenForcesAreChainedAsInFsyncMode() throws Exception {
        try (TestLog log = TestLog.open(dir, TestLog.settings(dir).withSync(SyncMode.WRITE)
                .withSyncInterval(Duration.ofMillis(1)))) {
            for (int i = 0; i < 5; i++) {
                log.append();
            }
        }

        try (TestLog reopened = TestLog.open(dir)) {
            assertEquals(6, reopened.append().seq());
        }
    }
}
