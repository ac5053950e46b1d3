package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.RunningPdp;
import dev.redline.pdp.server.harness.UnwritableDirectory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.redline.pdp.api.v1.DecideBatchRequest;
import dev.redline.pdp.api.v1.DecideBatchResponse;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.GetDecisionRequest;
import dev.redline.pdp.server.audit.chain.MutableClock;
import dev.redline.pdp.server.cli.PdpCommand;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the decision log cannot be written, decisions fail closed: the caller gets UNAVAILABLE
 * naming the cause, never an unrecorded allow, and health says NOT_SERVING.
 *
 * <p>Tests run as root, for whom file permissions are not enforced, so the failures are made
 * with what root cannot write through either: the open segment is a link to {@code /dev/full},
 * a device on which every write fails with ENOSPC (a full disk, as the kernel reports it); the
 * log directory is replaced by a plain file, so creating a segment fails with ENOTDIR; and the
 * log directory is made immutable ({@code chattr +i}; mode 0500 when not root), so creating a
 * file in it fails with EPERM (EACCES).
 *
 * <p>A read-only directory stops the log at the next file it must create: the first segment (they
 * are created lazily, at the first record), a segment's digest when it is sealed, or the next
 * segment. Until then the open segment, whose descriptor is already open, still takes records,
 * durably; that is not a failure and the tests say so.
 */
class DecisionLogFailClosedEndToEndTest {
    private static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path work;

    private final MutableClock clock = new MutableClock(NOON);
    private RunningPdp pdp;
    private UnwritableDirectory unwritable;

    @AfterEach
    void stop() throws Exception {
        if (unwritable != null) {
            unwritable.unlock(); // first, or the temporary directory cannot be deleted
        }
        if (pdp != null) {
            pdp.close();
        }
    }

    /** Makes {@code dir} refuse new files, or skips the test saying why that cannot be done here. */
    private UnwritableDirectory makeUnwritable(Path dir) throws Exception {
        UnwritableDirectory.Attempt attempt = UnwritableDirectory.lock(dir);
        assumeTrue(attempt.directory().isPresent(), "cannot make a directory unwritable here: " + attempt.whyNot());
        unwritable = attempt.directory().get();
        return unwritable;
    }

    /** A PDP whose log lives in {@code work/audit} (key in it), stamping records with the test's clock. */
    private Path startWithAuditDir() throws Exception {
        Path auditDir = work.resolve("audit");
        pdp = RunningPdp.start(PdpConfig.defaults().withAudit(PdpConfig.defaults().audit().withDir(auditDir)),
                builder -> builder.clock(clock));
        return auditDir;
    }

    private static String withheld(Path auditDir, Path file, String reason) {
        return "the decision was made but not recorded, so it is withheld: the decision log in " + auditDir
                + " cannot be written (" + file + ": " + reason + "); decisions are refused until it can";
    }

    private static DecideRequest allowed() {
        return DecideRequest.newBuilder().setInput(ContractCase.named("allowed-logistics").input()).build();
    }

    private RunningPdp startOnAFullDisk() throws Exception {
        Path auditDir = Files.createDirectories(work.resolve("audit"));
        Files.createSymbolicLink(auditDir.resolve("00000001.jsonl"), Path.of("/dev/full"));
        pdp = RunningPdp.start(PdpConfig.defaults().withAudit(PdpConfig.defaults().audit().withDir(auditDir)));
        return pdp;
    }

    @Test
    void onAFullDiskAnAllowIsWithheldWithUnavailableNamingTheCause() throws Exception {
        startOnAFullDisk();

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pdp.decisions().decide(allowed()));

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals("the decision was made but not recorded, so it is withheld: the decision log in "
                + work.resolve("audit") + " cannot be written (No space left on device); decisions are refused until"
                + " it can", e.getStatus().getDescription());
    }

    @Test
    void onAFullDiskHealthIsNotServing() throws Exception {
        startOnAFullDisk();
        assertEquals(ServingStatus.SERVING, pdp.health());

        assertThrows(StatusRuntimeException.class, () -> pdp.decisions().decide(allowed()));

        assertEquals(ServingStatus.NOT_SERVING, pdp.health());
    }

    @Test
    void onAFullDiskHealthStaysNotServingWhileTheLogRetries() throws Exception {
        startOnAFullDisk();
        assertThrows(StatusRuntimeException.class, () -> pdp.decisions().decide(allowed()));

        // The log retries about once a second; a retry that re-reads the log but cannot write a
        // record must not report it writable.
        Thread.sleep(2_500);

        assertEquals(ServingStatus.NOT_SERVING, pdp.health());
    }

    @Test
    void aLogThatIsWritableAgainRecordsWhenItFailedAndWhy() throws Exception {
        Path auditDir = startWithAuditDir();
        makeUnwritable(auditDir);
        assertThrows(StatusRuntimeException.class, () -> pdp.decisions().decide(allowed()));

        unwritable.unlock();
        awaitHealth(ServingStatus.SERVING);

        String log = Files.readString(auditDir.resolve("00000001.jsonl"));
        assertTrue(log.contains("\"type\":\"resumed\""), log);
        assertTrue(log.contains("\"error\":\"the decision log in " + auditDir + " cannot be written ("), log);
        assertTrue(log.contains("\"failed_at\":\""), log);
        assertEquals(0, PdpCommand.commandLine().execute("audit", "verify", auditDir.toString()));
    }

    @Test
    void onAFullDiskEveryBatchItemIsWithheldWithUnavailable() throws Exception {
        startOnAFullDisk();

        DecideBatchResponse answer = pdp.decisions().decideBatch(DecideBatchRequest.newBuilder()
                .addRequests(allowed()).addRequests(allowed()).build());

        for (var item : answer.getItemsList()) {
            assertEquals(Status.Code.UNAVAILABLE.value(), item.getStatus().getCode());
            assertTrue(item.getStatus().getMessage().contains("No space left on device"), item.getStatus().getMessage());
            assertFalse(item.hasResponse());
        }
    }

    @Test
    void whenTheLogDirectoryIsGoneDecisionsFailAndResumeOnceItIsBack() throws Exception {
        Path auditDir = work.resolve("audit");
        Path keyFile = Files.writeString(work.resolve("audit.key"), "ab".repeat(32) + "\n");
        pdp = RunningPdp.start(PdpConfig.defaults().withAudit(PdpConfig.defaults().audit()
                .withDir(auditDir).withKeyFile(keyFile)));
        Files.delete(auditDir);
        Files.writeString(auditDir, "not a directory");

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pdp.decisions().decide(allowed()));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains(auditDir.resolve("00000001.jsonl") + ": Not a directory"),
                e.getStatus().getDescription());
        assertEquals(ServingStatus.NOT_SERVING, pdp.health());

        Files.delete(auditDir);
        Files.createDirectory(auditDir);
        awaitHealth(ServingStatus.SERVING);
        DecideResponse response = pdp.decisions().decide(allowed());

        assertTrue(response.getAllow());
        assertEquals(0, PdpCommand.commandLine().execute("audit", "verify", auditDir.toString(),
                "--key-file", keyFile.toString()));
    }

    @Test
    void whenTheLogDirectoryCannotBeWrittenTheFirstDecisionIsWithheldAndHealthIsNotServing() throws Exception {
        Path auditDir = startWithAuditDir();
        String refusal = makeUnwritable(auditDir).refusal;

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pdp.decisions().decide(allowed()));

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals(withheld(auditDir, auditDir.resolve("00000001.jsonl"), refusal), e.getStatus().getDescription());
        assertEquals(ServingStatus.NOT_SERVING, pdp.health());
        assertFalse(Files.exists(auditDir.resolve("00000001.jsonl")));
    }

    @Test
    void whenTheLogDirectoryCannotBeWrittenEveryBatchItemIsWithheld() throws Exception {
        Path auditDir = startWithAuditDir();
        String refusal = makeUnwritable(auditDir).refusal;

        DecideBatchResponse answer = pdp.decisions().decideBatch(DecideBatchRequest.newBuilder()
                .addRequests(allowed()).addRequests(allowed()).build());

        assertEquals(2, answer.getItemsCount());
        for (var item : answer.getItemsList()) {
            assertEquals(Status.Code.UNAVAILABLE.value(), item.getStatus().getCode());
            assertEquals(withheld(auditDir, auditDir.resolve("00000001.jsonl"), refusal), item.getStatus().getMessage());
            assertFalse(item.hasResponse());
        }
    }

    @Test
    void onceTheLogDirectoryIsWritableAgainDecisionsAreLoggedAndHealthIsServing() throws Exception {
        Path auditDir = startWithAuditDir();
        makeUnwritable(auditDir);
        assertThrows(StatusRuntimeException.class, () -> pdp.decisions().decide(allowed()));

        unwritable.unlock();
        awaitHealth(ServingStatus.SERVING);
        DecideResponse response = pdp.decisions().decide(allowed());

        assertTrue(response.getAllow());
        assertEquals(response.getDecisionId(), pdp.audit().getDecision(GetDecisionRequest.newBuilder()
                .setDecisionId(response.getDecisionId()).build()).getDecisionId());
        assertEquals(0, PdpCommand.commandLine().execute("audit", "verify", auditDir.toString()));
    }

    @Test
    void aLogDirectoryMadeUnwritableUnderAnOpenSegmentStillTakesDurableRecordsInThatSegment() throws Exception {
        Path auditDir = startWithAuditDir();
        pdp.decisions().decide(allowed()); // creates 00000001.jsonl and keeps it open
        makeUnwritable(auditDir);

        DecideResponse response = pdp.decisions().decide(allowed());

        assertTrue(response.getAllow());
        assertTrue(Files.readString(auditDir.resolve("00000001.jsonl")).contains(response.getDecisionId()));
        assertEquals(ServingStatus.SERVING, pdp.health());
    }

    @Test
    void aLogDirectoryMadeUnwritableUnderAnOpenSegmentFailsClosedWhenTheSegmentIsDueToBeSealed() throws Exception {
        Path auditDir = startWithAuditDir();
        pdp.decisions().decide(allowed());
        String refusal = makeUnwritable(auditDir).refusal;

        clock.advance(Duration.ofHours(1)); // the default segment age: the writer seals on its next idle tick
        awaitHealth(ServingStatus.NOT_SERVING);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pdp.decisions().decide(allowed()));

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals(withheld(auditDir, auditDir.resolve("00000001.digest.json.tmp"), refusal),
                e.getStatus().getDescription());
        assertFalse(Files.exists(auditDir.resolve("00000001.digest.json")));
    }

    @Test
    void aSealThatFailedOnAnUnwritableDirectoryIsCompletedOnceItIsWritableAgain() throws Exception {
        Path auditDir = startWithAuditDir();
        pdp.decisions().decide(allowed());
        makeUnwritable(auditDir);
        clock.advance(Duration.ofHours(1));
        awaitHealth(ServingStatus.NOT_SERVING);

        unwritable.unlock();
        awaitHealth(ServingStatus.SERVING);
        DecideResponse response = pdp.decisions().decide(allowed());

        assertTrue(Files.exists(auditDir.resolve("00000001.digest.json")));
        assertTrue(Files.readString(auditDir.resolve("00000002.jsonl")).contains(response.getDecisionId()));
        assertEquals(0, PdpCommand.commandLine().execute("audit", "verify", auditDir.toString()));
    }

    /** The log retries about once a second; wait for health to follow (or give up after 20 s). */
    private void awaitHealth(ServingStatus expected) throws InterruptedException {
        long giveUp = System.nanoTime() + 20_000_000_000L;
        while (pdp.health() != expected && System.nanoTime() < giveUp) {
            Thread.sleep(50);
        }
        assertEquals(expected, pdp.health());
    }
}
