package dev.redline.pdp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.RunningPdp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart on a data directory whose decision log has vanished (deleted, moved, a volume not
 * mounted) while the marker of its earlier use remains: starting a new chain there would make the
 * lost records look as if they never existed, and {@code verify} would say ok. The start is refused
 * with the facts, until the log is restored or the marker is removed on purpose.
 */
class DecisionLogVanishedAtRestartEndToEndTest {
    @TempDir
    Path work;

    private Path dataDir() {
        return work.resolve("data");
    }

    private Path auditDir() {
        return dataDir().resolve("audit");
    }

    private Path marker() {
        return dataDir().resolve(PdpServer.DECISION_LOG_USED_MARKER);
    }

    private PdpConfig config() {
        return PdpConfig.defaults().withDataDir(dataDir());
    }

    /** Runs a server that records one decision, then stops it cleanly. */
    private void useTheLogOnce() throws Exception {
        try (RunningPdp pdp = RunningPdp.start(config())) {
            assertTrue(pdp.decisions().decide(DecideRequest.newBuilder()
                    .setInput(ContractCase.named("allowed-logistics").input()).build()).getAllow());
        }
    }

    @Test
    void aRestartAfterTheLogDirectoryWasDeletedIsRefusedNamingTheMarkerAndWhatIsMissing() throws Exception {
        useTheLogOnce();
        deleteTree(auditDir());

        PdpServer.StartupException refused = assertThrows(PdpServer.StartupException.class,
                () -> RunningPdp.start(config()).close());

        assertEquals("decision log: the decision log has vanished: " + auditDir() + " is missing, yet " + marker()
                + " records that this log held decisions, and a new chain would hide that its records are gone; restore"
                + " the log to " + auditDir() + " (from a backup, or mount its volume), or, to start a new, empty chain"
                + " there deliberately, remove " + marker(), refused.getMessage());
    }

    @Test
    void aRestartAfterEverySegmentWasDeletedIsRefusedNamingTheMissingSegment() throws Exception {
        useTheLogOnce();
        Files.delete(auditDir().resolve("00000001.jsonl"));

        PdpServer.StartupException refused = assertThrows(PdpServer.StartupException.class,
                () -> RunningPdp.start(config()).close());

        assertTrue(refused.getMessage().contains(auditDir() + " holds no segment (00000001.jsonl, the first, is"
                + " missing)"), refused.getMessage());
    }

    @Test
    void removingTheMarkerStartsANewChainDeliberately() throws Exception {
        useTheLogOnce();
        deleteTree(auditDir());
        Files.delete(marker());

        useTheLogOnce();

        assertTrue(Files.exists(auditDir().resolve("00000001.jsonl")));
        assertTrue(Files.exists(marker()), "the new chain is marked as used once it holds a record");
    }

    @Test
    void aRestartWithTheLogIntactStarts() throws Exception {
        useTheLogOnce();

        try (RunningPdp pdp = RunningPdp.start(config())) {
            assertEquals(auditDir().toAbsolutePath(), pdp.server.audit().orElseThrow().dir().toAbsolutePath());
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
