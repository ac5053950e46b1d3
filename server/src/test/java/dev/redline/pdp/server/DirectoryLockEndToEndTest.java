package dev.redline.pdp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.server.cli.PdpCommand;
import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.ChildPdp;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per directory: a second {@code pdp serve} (a real second process) on a data directory
 * or a log directory another holds is refused, naming the holder's pid; readers still read it.
 */
class DirectoryLockEndToEndTest {
    /** A shared, busy machine: the first decision of a cold child may wait for its one instance. */
    private static final String[] PATIENT = {"--queue-timeout", "30s"};

    @TempDir
    Path work;

    @Test
    void aSecondServerOnTheSameDataDirIsRefusedNamingTheFirstOnesPid() throws Exception {
        Path dataDir = work.resolve("data");
        try (ChildPdp first = ChildPdp.start(dataDir)) {
            ChildPdp.Exited second = ChildPdp.runUntilExit(dataDir);

            assertEquals(1, second.code(), second.output());
            assertTrue(second.output().contains("is in use by another PDP (pid " + first.process.pid() + ","),
                    second.output());
        }
    }

    @Test
    void aSecondServerOnTheSameLogDirIsRefusedNamingTheFirstOnesPid() throws Exception {
        Path auditDir = work.resolve("audit");
        try (ChildPdp first = ChildPdp.start(work.resolve("data-1"), "--audit-dir", auditDir.toString())) {
            ChildPdp.Exited second = ChildPdp.runUntilExit(work.resolve("data-2"), "--audit-dir", auditDir.toString());

            assertEquals(1, second.code(), second.output());
            assertTrue(second.output().contains(auditDir + " is in use by another PDP (pid " + first.process.pid()
                    + ","), second.output());
        }
    }

    @Test
    void theLogOfARunningServerVerifies() throws Exception {
        Path dataDir = work.resolve("data");
        try (ChildPdp serving = ChildPdp.start(dataDir, PATIENT)) {
            decideOnce(serving);

            assertEquals(0, PdpCommand.commandLine().execute("audit", "verify", dataDir.resolve("audit").toString()));
        }
    }

    @Test
    void tailReadsTheLogOfARunningServer() throws Exception {
        Path dataDir = work.resolve("data");
        try (ChildPdp serving = ChildPdp.start(dataDir, PATIENT)) {
            decideOnce(serving);
            StringWriter out = new StringWriter();

            int exit = PdpCommand.commandLine().setOut(new PrintWriter(out)).execute("audit", "tail", "-n", "1",
                    "--address", "127.0.0.1:" + serving.adminPort, "--token-file", dataDir.resolve("admin.tokens").toString());

            assertEquals(0, exit);
            assertTrue(new ObjectMapper().readTree(out.toString().strip()).path("allow").asBoolean(), out.toString());
        }
    }

    @Test
    void aServerStartsOnADirectoryWhoseHolderWasKilled() throws Exception {
        Path dataDir = work.resolve("data");
        ChildPdp.start(dataDir).kill();

        try (ChildPdp next = ChildPdp.start(dataDir, PATIENT)) {
            decideOnce(next);
        }
    }

    private static void decideOnce(ChildPdp pdp) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", pdp.port).usePlaintext().build();
        try {
            assertTrue(DecisionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .decide(DecideRequest.newBuilder().setInput(ContractCase.named("allowed-logistics").input()).build())
                    .getAllow());
        } finally {
            channel.shutdownNow();
        }
    }
}
