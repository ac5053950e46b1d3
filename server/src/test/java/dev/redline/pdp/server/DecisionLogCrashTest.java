package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.ContractCase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.api.v1.DecideBatchRequest;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.server.audit.chain.AuditLog;
import dev.redline.pdp.server.audit.AuditReader;
import dev.redline.pdp.server.audit.AuditSettings;
import dev.redline.pdp.server.audit.DecisionQuery;
import dev.redline.pdp.server.cli.PdpCommand;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A PDP killed with SIGKILL in the middle of a burst of decisions — single {@code Decide} calls and
 * {@code DecideBatch} calls at once — has, in its log, every decision any client received (each
 * batch item's too), and the log verifies once reopened. The server runs in its own JVM, started
 * the way an operator starts it ({@code pdp serve}), so the kill is real.
 *
 * <p>What this shows is the ordering — no answer leaves before its record is written and forced —
 * and the repair of whatever the kill interrupted. (A kill leaves the page cache to the kernel; only
 * a power cut tests the force itself, which no unit test can do.)
 */
class DecisionLogCrashTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 4;
    private static final int ANSWERS_BEFORE_KILL = 400;
    private static final int BATCH_SIZE = 8;

    @TempDir
    Path work;

    @Test
    void everyDecisionAClientReceivedBeforeAKillIsInTheLogAndTheLogVerifiesAfterRepair() throws Exception {
        Path auditDir = work.resolve("audit");
        Process server = startServer(auditDir);
        Set<String> received = ConcurrentHashMap.newKeySet();
        Set<String> receivedInBatches = ConcurrentHashMap.newKeySet();
        try {
            int port = awaitServing(server);
            burstUntilKilled(server, port, received, receivedInBatches);
        } finally {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }

        // Reopening repairs whatever the kill interrupted, as a restart would.
        AuditSettings settings = AuditSettings.defaults().withDir(auditDir);
        try (AuditLog reopened = AuditLog.open(settings.chain(), Clock.systemUTC(), (writable, reason) -> {})) {
            Set<String> logged = new HashSet<>();
            AuditReader.of(reopened).list(DecisionQuery.all(), decision -> logged.add(decision.decisionId()));

            assertTrue(received.size() >= ANSWERS_BEFORE_KILL, "only " + received.size() + " answers before the kill");
            assertTrue(receivedInBatches.size() >= BATCH_SIZE, "only " + receivedInBatches.size()
                    + " batch items answered before the kill");
            Set<String> missing = new HashSet<>(received);
            missing.removeAll(logged);
            assertEquals(Set.of(), missing, "decisions answered but not in the log");
        }
        StringWriter output = new StringWriter();
        CommandLine verify = PdpCommand.commandLine().setOut(new PrintWriter(output));
        assertEquals(0, verify.execute("audit", "verify", auditDir.toString()), output.toString());
    }

    private Process startServer(Path auditDir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                PdpCommand.class.getName(), "serve", "--port", "0", "--instances", "2",
                "--audit-dir", auditDir.toString(),
                "--audit-segment-bytes", "65536")); // several sealed segments during the burst
        return new ProcessBuilder(command)
                .redirectError(work.resolve("server.stderr").toFile())
                .start();
    }

    /** Reads the server's JSON log lines until it says it is serving; returns its port. */
    private static int awaitServing(Process server) throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            JsonNode entry = JSON.readTree(line);
            if ("pdp serving".equals(entry.path("msg").asText())) {
                String address = entry.path("address").asText();
                Thread drain = new Thread(() -> lines.lines().forEach(ignored -> {}), "server-stdout");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            }
        }
        throw new IllegalStateException("the server exited before serving; see server.stderr");
    }

    /**
     * Several clients decide as fast as they can, half with {@code Decide}, half with
     * {@code DecideBatch}; once enough answers are in, the server is killed mid-burst. Every decision
     * id a client received goes into {@code received}; those from batch items also into
     * {@code receivedInBatches}.
     */
    private static void burstUntilKilled(Process server, int port, Set<String> received,
            Set<String> receivedInBatches) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        CountDownLatch enough = new CountDownLatch(1);
        AtomicInteger answers = new AtomicInteger();
        DecideRequest request = DecideRequest.newBuilder()
                .setInput(ContractCase.named("allowed-logistics").input()).build();
        DecideBatchRequest.Builder batchBuilder = DecideBatchRequest.newBuilder();
        for (int i = 0; i < BATCH_SIZE; i++) {
            batchBuilder.addRequests(request);
        }
        DecideBatchRequest batch = batchBuilder.build();
        try {
            for (int c = 0; c < CLIENTS; c++) {
                boolean batches = c % 2 == 1;
                clients.execute(() -> {
                    var stub = DecisionServiceGrpc.newBlockingStub(channel);
                    while (true) {
                        List<String> ids = new ArrayList<>();
                        try {
                            if (batches) {
                                for (var item : stub.withDeadlineAfter(10, TimeUnit.SECONDS).decideBatch(batch)
                                        .getItemsList()) {
                                    if (item.hasResponse()) {
                                        ids.add(item.getResponse().getDecisionId());
                                    }
                                }
                                receivedInBatches.addAll(ids);
                            } else {
                                ids.add(stub.withDeadlineAfter(10, TimeUnit.SECONDS).decide(request).getDecisionId());
                            }
                        } catch (StatusRuntimeException e) {
                            return; // the server is gone
                        }
                        received.addAll(ids);
                        if (answers.addAndGet(ids.size()) >= ANSWERS_BEFORE_KILL) {
                            enough.countDown();
                        }
                    }
                });
            }
            assertTrue(enough.await(120, TimeUnit.SECONDS), "the server gave too few answers");
            server.destroyForcibly(); // SIGKILL, while the clients keep asking
            server.waitFor(30, TimeUnit.SECONDS);
        } finally {
            clients.shutdown();
            clients.awaitTermination(30, TimeUnit.SECONDS);
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
