package dev.redline.pdp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.api.v1.DecideBatchRequest;
import dev.redline.pdp.api.v1.DecideBatchResponse;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.server.cli.PdpCommand;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the decision log cannot be written, decisions fail closed: the caller gets UNAVAILABLE
 * naming the cause, never an unrecorded allow, and health says NOT_SERVING.
 *
 * <p>Tests run as root, for whom file permissions are not enforced, so the failures are made
 * with what root cannot write through either: the open segment is a link to {@code /dev/full},
 * a device on which every write fails with ENOSPC (a full disk, as the kernel reports it); and
 * the log directory is replaced by a plain file, so creating a segment fails with ENOTDIR.
 */
class DecisionLogFailClosedEndToEndTest {
    @TempDir
    Path work;

    private RunningPdp pdp;

    @AfterEach
    void stop() throws Exception {
        if (pdp != null) {
            pdp.close();
        }
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

    /** The log retries about once a second; wait for health to follow (or give up after 20 s). */
    private void awaitHealth(ServingStatus expected) throws InterruptedException {
        long giveUp = System.nanoTime() + 20_000_000_000L;
        while (pdp.health() != expected && System.nanoTime() < giveUp) {
            Thread.sleep(50);
        }
        assertEquals(expected, pdp.health());
    }
}
