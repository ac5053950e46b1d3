package dev.redline.pdp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.server.cli.PdpCommand;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.files.DirectoryLock;
import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.RunningPdp;
import dev.redline.pdp.server.harness.SecretFile;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The open segment, or the whole log directory, deleted under a serving PDP: the writer would go on
 * appending to a file no path leads to. The next decision is withheld (UNAVAILABLE) and health says
 * NOT_SERVING, until the log is intact again at its path.
 */
class DecisionLogDeletedWhileServingEndToEndTest {
    @TempDir
    Path work;

    private Path auditDir;
    private Path keyFile;
    private RunningPdp pdp;

    @BeforeEach
    void start() throws Exception {
        auditDir = work.resolve("audit");
        keyFile = SecretFile.write(work.resolve("audit.key"), "cd".repeat(32) + "\n");
        pdp = RunningPdp.start(PdpConfig.defaults().withAudit(PdpConfig.defaults().audit()
                .withDir(auditDir).withKeyFile(keyFile)));
        assertTrue(pdp.decisions().decide(allowed()).getAllow(), "the first decision opens segment 1");
    }

    @AfterEach
    void stop() {
        pdp.close();
    }

    private static DecideRequest allowed() {
        return DecideRequest.newBuilder().setInput(ContractCase.named("allowed-logistics").input()).build();
    }

    @Test
    void aDecisionAfterTheOpenSegmentIsDeletedIsWithheldWithUnavailable() throws Exception {
        Files.delete(auditDir.resolve("00000001.jsonl"));

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pdp.decisions().decide(allowed()));

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains(auditDir.resolve("00000001.jsonl")
                + " was deleted, or its directory was, while the server held it open"), e.getStatus().getDescription());
    }

    @Test
    void healthIsNotServingOnceTheOpenSegmentIsFoundDeleted() throws Exception {
        Files.delete(auditDir.resolve("00000001.jsonl"));

        assertThrows(StatusRuntimeException.class, () -> pdp.decisions().decide(allowed()));

        assertEquals(ServingStatus.NOT_SERVING, pdp.health());
    }

    @Test
    void aDecisionAfterTheLogDirectoryIsDeletedIsWithheldAndHealthStaysNotServing() throws Exception {
        deleteTree(auditDir);

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pdp.decisions().decide(allowed()));
        Thread.sleep(2_500); // past a recovery attempt or two: an empty new directory is not the log
        Files.createDirectories(auditDir);
        Thread.sleep(1_500);

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals(ServingStatus.NOT_SERVING, pdp.health());
    }

    @Test
    void theLogServesAgainOnceTheDeletedSegmentIsRestored() throws Exception {
        Path segment = auditDir.resolve("00000001.jsonl");
        Path backup = Files.copy(segment, work.resolve("backup.jsonl"));
        Files.delete(segment);
        assertThrows(StatusRuntimeException.class, () -> pdp.decisions().decide(allowed()));

        Files.copy(backup, segment, StandardCopyOption.REPLACE_EXISTING);
        awaitHealth(ServingStatus.SERVING);

        assertTrue(pdp.decisions().decide(allowed()).getAllow());
        assertEquals(0, PdpCommand.commandLine().execute("audit", "verify", auditDir.toString(),
                "--key-file", keyFile.toString()));
    }

    @Test
    void aLogDirectoryRestoredFromACopyServesAgainAndIsLockedAgainstASecondWriter() throws Exception {
        Path backup = work.resolve("backup");
        copyTree(auditDir, backup);
        deleteTree(auditDir);
        assertThrows(StatusRuntimeException.class, () -> pdp.decisions().decide(allowed()));

        copyTree(backup, auditDir);
        awaitHealth(ServingStatus.SERVING);

        assertTrue(pdp.decisions().decide(allowed()).getAllow());
        DirectoryLock.HeldException refused = assertThrows(DirectoryLock.HeldException.class,
                () -> DirectoryLock.acquire(auditDir).close());
        assertTrue(refused.getMessage().contains("pid " + ProcessHandle.current().pid()), refused.getMessage());
        assertEquals(0, PdpCommand.commandLine().execute("audit", "verify", auditDir.toString(),
                "--key-file", keyFile.toString()));
    }

    private void awaitHealth(ServingStatus expected) throws InterruptedException {
        long giveUp = System.nanoTime() + 20_000_000_000L;
        while (pdp.health() != expected && System.nanoTime() < giveUp) {
            Thread.sleep(50);
        }
        assertEquals(expected, pdp.health());
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
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
