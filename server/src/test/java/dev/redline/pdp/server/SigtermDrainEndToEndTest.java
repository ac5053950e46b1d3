package dev.redline.pdp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.api.v1.DecideBatchRequest;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.server.audit.AuditReader;
import dev.redline.pdp.server.audit.DecisionQuery;
import dev.redline.pdp.server.audit.chain.PreparedRecord;
import dev.redline.pdp.server.cli.PdpCommand;
import dev.redline.pdp.server.harness.ChildPdp;
import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.lifecycle.CallGate;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code pdp serve} in its own JVM, stopped with SIGTERM ({@link Process#destroy()}) under a bounded
 * load of {@code Decide} and {@code DecideBatch} calls. One more call is held in flight by its client
 * (headers sent, request not yet), so the drain is caught in the middle: health says NOT_SERVING,
 * new calls are refused, and the held call is still answered. Then the process exits 0 and its log
 * holds exactly the decisions clients were answered, ends with a stopped record, and verifies.
 */
class SigtermDrainEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 3;
    private static final int ANSWERS_BEFORE_SIGTERM = 200;
    private static final int BATCH_SIZE = 8;
    private static final DecideRequest REQUEST = DecideRequest.newBuilder()
            .setInput(ContractCase.named("allowed-logistics").input()).build();

    @TempDir
    Path dataDir;

    @Test
    void sigtermUnderLoadAnswersWhatItLetInRefusesTheRestRecordsEveryAnswerAndExitsZero() throws Exception {
        Set<String> answered = ConcurrentHashMap.newKeySet();
        List<Status> refusals = new ArrayList<>();
        // a queue timeout no busy test machine reaches: a client's only failure should be the drain's refusal
        ChildPdp pdp = ChildPdp.start(dataDir, "--shutdown-grace", "60s", "--queue-timeout", "30s");
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", pdp.port).usePlaintext().disableRetry()
                .build();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<CompletableFuture<Status>> load = startLoad(channel, clients, answered);
            HeldCall held = HeldCall.start(channel);
            // the PDP runs one decision thread, which takes calls in the order they came: once a
            // later call is answered, the held call has been let in and is in flight
            answered.add(DecisionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .decide(REQUEST).getDecisionId());

            pdp.terminate();

            awaitNotServing(channel);
            StatusRuntimeException refused = decideExpectingFailure(channel);
            assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
            assertEquals(CallGate.DRAINING, refused.getStatus().getDescription());
            for (CompletableFuture<Status> client : load) {
                refusals.add(client.get(60, TimeUnit.SECONDS));
            }
            for (Status status : refusals) {
                assertEquals(Status.Code.UNAVAILABLE, status.getCode(), status.toString());
                assertEquals(CallGate.DRAINING, status.getDescription(), "each client's first failure came from the drain");
            }
            answered.add(held.send(REQUEST).get(30, TimeUnit.SECONDS).getDecisionId());

            assertEquals(OptionalInt.of(0), pdp.awaitExit(60), "the PDP drained and exited 0");
        } finally {
            clients.shutdownNow();
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            pdp.kill();
        }

        Path auditDir = dataDir.resolve("audit");
        assertTrue(answered.size() > ANSWERS_BEFORE_SIGTERM, answered.size() + " answers");
        assertEquals(answered, loggedDecisionIds(auditDir), "the log holds exactly the decisions clients were answered");
        assertEquals(PreparedRecord.STOPPED, lastRecord(auditDir).path("type").asText());
        StringWriter output = new StringWriter();
        CommandLine verify = PdpCommand.commandLine().setOut(new PrintWriter(output));
        assertEquals(0, verify.execute("audit", "verify", auditDir.toString()), output.toString());
    }

    @Test
    void pastTheShutdownGraceTheProcessExitsNonZeroWithoutAnsweringTheCallItWaitedFor() throws Exception {
        ChildPdp pdp = ChildPdp.start(dataDir, "--shutdown-grace", "1s");
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", pdp.port).usePlaintext().disableRetry()
                .build();
        try {
            HeldCall held = HeldCall.start(channel);
            DecisionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).decide(REQUEST);

            pdp.terminate(); // the held call is never sent: without the grace bound the drain would wait for ever

            OptionalInt exit = pdp.awaitExit(60);
            assertTrue(exit.isPresent(), "the grace period bounds the exit");
            assertNotEquals(0, exit.getAsInt());
            assertNotEquals(Status.Code.OK, held.outcome.get(30, TimeUnit.SECONDS).getCode(),
                    "the call that was waited for got no answer");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            pdp.kill();
        }
    }

    @Test
    void theStartAfterADrainSaysNothingOfACrashAndTheStartAfterAKillDoes() throws Exception {
        try (ChildPdp first = ChildPdp.start(dataDir)) {
            decideOnce(first);
            first.terminate();
            assertEquals(OptionalInt.of(0), first.awaitExit(60));
        }
        try (ChildPdp afterDrain = ChildPdp.start(dataDir)) {
            assertEquals(List.of(), warnings(afterDrain, "the previous run did not stop cleanly"));
            decideOnce(afterDrain);
            afterDrain.kill();
        }
        try (ChildPdp afterKill = ChildPdp.start(dataDir)) {
            List<JsonNode> warned = warnings(afterKill, "the previous run did not stop cleanly");
            assertEquals(1, warned.size(), afterKill.linesBeforeStart.toString());
            assertTrue(warned.get(0).path("decision_log").asText().startsWith("the run before this one did not stop"
                    + " cleanly: its log ends at seq "), warned.get(0).toString());
        }
    }

    /** Each client asks until its first failure and returns that failure's status. */
    private static List<CompletableFuture<Status>> startLoad(ManagedChannel channel, ExecutorService clients,
            Set<String> answered) throws InterruptedException {
        DecideBatchRequest.Builder batch = DecideBatchRequest.newBuilder();
        for (int i = 0; i < BATCH_SIZE; i++) {
            batch.addRequests(REQUEST);
        }
        DecideBatchRequest batchRequest = batch.build();
        AtomicInteger answers = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(1);
        List<CompletableFuture<Status>> load = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            boolean batches = c == 0;
            load.add(CompletableFuture.supplyAsync(() -> {
                var stub = DecisionServiceGrpc.newBlockingStub(channel);
                while (true) {
                    List<String> ids = new ArrayList<>();
                    try {
                        if (batches) {
                            for (var item : stub.withDeadlineAfter(30, TimeUnit.SECONDS).decideBatch(batchRequest)
                                    .getItemsList()) {
                                if (!item.hasResponse()) {
                                    return Status.UNKNOWN.withDescription("a batch item failed: " + item);
                                }
                                ids.add(item.getResponse().getDecisionId());
                            }
                        } else {
                            ids.add(stub.withDeadlineAfter(30, TimeUnit.SECONDS).decide(REQUEST).getDecisionId());
                        }
                    } catch (StatusRuntimeException e) {
                        return e.getStatus();
                    }
                    answered.addAll(ids);
                    if (answers.addAndGet(ids.size()) >= ANSWERS_BEFORE_SIGTERM) {
                        enough.countDown();
                    }
                }
            }, clients));
        }
        CompletableFuture<Void> allEnded = CompletableFuture.allOf(load.toArray(CompletableFuture[]::new));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (!enough.await(100, TimeUnit.MILLISECONDS)) {
            if (allEnded.isDone() || System.nanoTime() > deadline) {
                throw new AssertionError("only " + answers.get() + " answers before SIGTERM; the clients ended with "
                        + load.stream().map(f -> f.isDone() ? String.valueOf(f.join()) : "(still asking)").toList());
            }
        }
        return load;
    }

    private static void awaitNotServing(ManagedChannel channel) throws InterruptedException {
        var health = HealthGrpc.newBlockingStub(channel);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            ServingStatus status = health.withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus();
            if (status == ServingStatus.NOT_SERVING) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("health never said NOT_SERVING after SIGTERM");
    }

    private static StatusRuntimeException decideExpectingFailure(ManagedChannel channel) {
        try {
            DecideResponse answer = DecisionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .decide(REQUEST);
            throw new AssertionError("a call after the drain began was answered: " + answer.getDecisionId());
        } catch (StatusRuntimeException e) {
            return e;
        }
    }

    private static void decideOnce(ChildPdp pdp) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", pdp.port).usePlaintext().build();
        try {
            DecisionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).decide(REQUEST);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static List<JsonNode> warnings(ChildPdp pdp, String message) {
        return pdp.linesBeforeStart.stream().filter(line -> message.equals(line.path("msg").asText())).toList();
    }

    /** The log as the stopped server left it: every byte is durable, so all of it is read. */
    private static Set<String> loggedDecisionIds(Path auditDir) throws Exception {
        Set<String> logged = new HashSet<>();
        new AuditReader(auditDir, (segment, bytes) -> bytes).list(DecisionQuery.all(), d -> logged.add(d.decisionId()));
        return logged;
    }

    private static JsonNode lastRecord(Path auditDir) throws Exception {
        Path newest;
        try (Stream<Path> files = Files.list(auditDir)) {
            newest = files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().reduce((a, b) -> b)
                    .orElseThrow();
        }
        List<String> lines = Files.readAllLines(newest, StandardCharsets.UTF_8);
        return JSON.readTree(lines.get(lines.size() - 1));
    }

    /** A Decide call whose headers are sent at once and whose request only when the test says. */
    private static final class HeldCall {
        final ClientCall<DecideRequest, DecideResponse> call;
        final CompletableFuture<DecideResponse> answer = new CompletableFuture<>();
        final CompletableFuture<Status> outcome = new CompletableFuture<>();

        private HeldCall(ClientCall<DecideRequest, DecideResponse> call) {
            this.call = call;
        }

        static HeldCall start(ManagedChannel channel) {
            HeldCall held = new HeldCall(channel.newCall(DecisionServiceGrpc.getDecideMethod(),
                    CallOptions.DEFAULT.withDeadlineAfter(120, TimeUnit.SECONDS)));
            held.call.start(new ClientCall.Listener<>() {
                @Override
                public void onMessage(DecideResponse message) {
                    held.answer.complete(message);
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    held.outcome.complete(status);
                    if (!status.isOk()) {
                        held.answer.completeExceptionally(status.asRuntimeException(trailers));
                    }
                }
            }, new Metadata());
            held.call.request(1);
            return held;
        }

        CompletableFuture<DecideResponse> send(DecideRequest request) {
            call.sendMessage(request);
            call.halfClose();
            return answer;
        }
    }
}
