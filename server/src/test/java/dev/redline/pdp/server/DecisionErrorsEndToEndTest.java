package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.OpaBundles;
import dev.redline.pdp.server.harness.RunningPdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.redline.pdp.api.v1.DecideBatchRequest;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a decision can fail answers with its own status and a message saying what is wrong,
 * never an allow, and the PDP serves the next request normally.
 */
class DecisionErrorsEndToEndTest {
    private static final String PROBE = """
            package probe

            fast := {"allow": true}

            # ~16 million iterations without allocating: runs far past any sane deadline. Only when
            # asked, so the bundle passes the PDP's smoke evaluation on an empty input.
            slow := {"allow": count([1 |
            \tsome i in numbers.range(1, 4000)
            \tsome j in numbers.range(1, 4000)
            \ti + j < 0
            ]) == 0} if input.slow

            # Two definitions of a complete rule with different values: a runtime conflict.
            conflict := 1 if input.a
            conflict := 2 if input.a

            bare := input.ok

            # Tens of millions of numbers: far past a small memory cap.
            hog := count(numbers.range(1, 50000000)) if input.hog

            never if input.missing_field == "set"

            no_allow := {"violations": []}
            """;

    @TempDir
    static Path workDir;

    private static Path probeBundle;
    private RunningPdp pdp;

    @BeforeAll
    static void buildProbeBundle() throws Exception {
        probeBundle = OpaBundles.build(workDir, Map.of("probe.rego", PROBE),
                "probe/fast", "probe/slow", "probe/conflict", "probe/bare", "probe/never", "probe/no_allow",
                "probe/hog");
    }

    @AfterEach
    void stop() throws Exception {
        if (pdp != null) {
            pdp.close();
        }
    }

    private RunningPdp probePdp(PdpConfig config) throws Exception {
        pdp = RunningPdp.start(config.withBundle(probeBundle));
        return pdp;
    }

    private static DecideRequest request(String path, Struct input) {
        return DecideRequest.newBuilder().setPath(path).setInput(input).build();
    }

    private static StatusRuntimeException failure(RunningPdp pdp, DecideRequest request) {
        return assertThrows(StatusRuntimeException.class, () -> pdp.decisions().decide(request));
    }

    private static void assertServesNormally(RunningPdp pdp) {
        DecideResponse response = pdp.decisions().decide(request("probe/fast", Struct.getDefaultInstance()));
        assertTrue(response.getAllow());
    }

    @Test
    void unknownPathIsNotFoundAndNamesThePath() throws Exception {
        RunningPdp pdp = probePdp(PdpConfig.defaults());

        StatusRuntimeException e = failure(pdp, request("probe/absent", Struct.getDefaultInstance()));

        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("probe/absent"), e.getStatus().getDescription());
        assertServesNormally(pdp);
    }

    @Test
    void malformedPathIsInvalidArgument() throws Exception {
        RunningPdp pdp = probePdp(PdpConfig.defaults());

        StatusRuntimeException e = failure(pdp, request("../probe/fast", Struct.getDefaultInstance()));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("../probe/fast"), e.getStatus().getDescription());
        assertServesNormally(pdp);
    }

    @Test
    void dataReferenceInsteadOfAnEntrypointIsInvalidArgument() throws Exception {
        RunningPdp pdp = probePdp(PdpConfig.defaults());

        StatusRuntimeException e = failure(pdp, request("data.probe.fast", Struct.getDefaultInstance()));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("path \"data.probe.fast\" is a data reference; name the entrypoint without the data prefix,"
                + " e.g. contract/decision", e.getStatus().getDescription());
        assertServesNormally(pdp);
    }

    @Test
    void nonFiniteNumberInInputIsInvalidArgument() throws Exception {
        RunningPdp pdp = probePdp(PdpConfig.defaults());
        Struct input = Struct.newBuilder().putFields("x", Value.newBuilder().setNumberValue(Double.NaN).build()).build();

        StatusRuntimeException e = failure(pdp, request("probe/fast", input));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("NaN"), e.getStatus().getDescription());
        assertServesNormally(pdp);
    }

    @Test
    void inputNestedTooDeeplyIsInvalidArgument() throws Exception {
        RunningPdp pdp = probePdp(PdpConfig.defaults());
        Value nested = Value.newBuilder().setStringValue("bottom").build();
        for (int i = 0; i < 40; i++) {
            nested = Value.newBuilder().setListValue(ListValue.newBuilder().addValues(nested)).build();
        }

        StatusRuntimeException e = failure(pdp, request("probe/fast", Struct.newBuilder().putFields("deep", nested).build()));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("nested more than 32 levels"), e.getStatus().getDescription());
        assertServesNormally(pdp);
    }

    @Test
    void inputOverTheLimitIsResourceExhausted() throws Exception {
        RunningPdp pdp = probePdp(PdpConfig.defaults().withMaxInputBytes(1024));
        Struct input = Struct.newBuilder().putFields("blob", Value.newBuilder().setStringValue("x".repeat(2000)).build()).build();

        StatusRuntimeException e = failure(pdp, request("probe/fast", input));

        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("limit of 1024 bytes"), e.getStatus().getDescription());
        assertServesNormally(pdp);
    }

    @Test
    void evaluationOverItsDeadlineIsStoppedAndIsDeadlineExceeded() throws Exception {
        RunningPdp pdp = probePdp(PdpConfig.defaults().withEvalTimeout(Duration.ofMillis(100)));

        StatusRuntimeException e = failure(pdp, request("probe/slow", ContractCase.struct("{\"slow\": true}")));

        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("ran past its deadline"), e.getStatus().getDescription());
        assertServesNormally(pdp);
    }

    @Test
    void everyInstanceTimingOutInTurnStillLeavesTheServerServing() throws Exception {
        RunningPdp pdp = probePdp(PdpConfig.defaults().withInstances(2).withEvalTimeout(Duration.ofMillis(50)));

        for (int i = 0; i < 4; i++) {
            assertEquals(Status.Code.DEADLINE_EXCEEDED,
                    failure(pdp, request("probe/slow", ContractCase.struct("{\"slow\": true}"))).getStatus().getCode());
        }

        // Discarded instances are rebuilt in the background; a caller with a normal deadline is served.
        DecideResponse response = pdp.decisions().decide(request("probe/fast", Struct.getDefaultInstance()));
        assertTrue(response.getAllow());
    }

    @Test
    void aHealthCheckIsAnsweredWhileTheOnlyDecisionThreadIsBusy() throws Exception {
        RunningPdp pdp = probePdp(PdpConfig.defaults().withInstances(1).withEvalTimeout(Duration.ofSeconds(1)));
        // Sent first on the same connection, so the decision thread has it before the health check.
        CompletableFuture<Status> slow = new CompletableFuture<>();
        DecisionServiceGrpc.newStub(pdp.channel).decide(request("probe/slow", ContractCase.struct("{\"slow\": true}")),
                new StreamObserver<>() {
                    @Override
                    public void onNext(DecideResponse response) {}

                    @Override
                    public void onError(Throwable t) {
                        slow.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        slow.complete(Status.OK);
                    }
                });

        HealthCheckResponse health = HealthGrpc.newBlockingStub(pdp.channel)
                .withDeadlineAfter(500, TimeUnit.MILLISECONDS)
                .check(HealthCheckRequest.getDefaultInstance());

        assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());
        assertEquals(Status.Code.DEADLINE_EXCEEDED, slow.get(30, TimeUnit.SECONDS).getCode());
    }

    @Test
    void everyInstanceBusyPastTheQueueTimeoutIsResourceExhaustedAndTheServerServesOnceOneIsFree() throws Exception {
        RunningPdp pdp = probePdp(PdpConfig.defaults().withInstances(1).withEvalTimeout(Duration.ofSeconds(1))
                .withQueueTimeout(Duration.ofMillis(50)));
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<StatusRuntimeException> slow = caller.submit(
                    () -> failure(pdp, request("probe/slow", ContractCase.struct("{\"slow\": true}"))));

            StatusRuntimeException busy = firstFailureWhileRunning(pdp, slow);

            assertEquals(Status.Code.RESOURCE_EXHAUSTED, busy.getStatus().getCode());
            String message = busy.getStatus().getDescription();
            // It queued for the only decision thread, which the slow call holds; refused once it got it.
            assertTrue(message.matches("the request waited \\d+ ms for one of the 1 policy instances"
                    + " \\(queue timeout 50 ms\\); retry, or raise --instances"), message);
            assertEquals(Status.Code.DEADLINE_EXCEEDED, slow.get(30, TimeUnit.SECONDS).getStatus().getCode());
            assertEventuallyServes(pdp);
        } finally {
            caller.shutdownNow();
        }
    }

    /**
     * Decides {@code probe/fast} again and again while {@code slow} runs, until one decision
     * fails: the one that found the only instance taken. (Until the slow call has the instance,
     * the fast ones are served.)
     */
    private static StatusRuntimeException firstFailureWhileRunning(RunningPdp pdp, Future<?> slow) {
        while (!slow.isDone()) {
            try {
                pdp.decisions().decide(request("probe/fast", Struct.getDefaultInstance()));
            } catch (StatusRuntimeException e) {
                return e;
            }
        }
        throw new AssertionError("the slow evaluation ended before any decision found the instance busy");
    }

    /**
     * The timed-out instance is discarded and rebuilt in the background: until it is back,
     * decisions may only be RESOURCE_EXHAUSTED; then they are served.
     */
    private static void assertEventuallyServes(RunningPdp pdp) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                assertServesNormally(pdp);
                return;
            } catch (StatusRuntimeException e) {
                assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getStatus().getDescription());
                assertTrue(System.nanoTime() < giveUp, "the discarded instance was not rebuilt within 60 s");
            }
        }
    }

    @Test
    void policyRuntimeConflictIsInternalAndNamesTheFailure() throws Exception {
        RunningPdp pdp = probePdp(PdpConfig.defaults());
        Struct input = ContractCase.struct("{\"a\": true}");

        StatusRuntimeException e = failure(pdp, request("probe/conflict", input));

        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("policy aborted"), e.getStatus().getDescription());
        assertServesNormally(pdp);
    }

    @Test
    void policyAllocatingPastTheMemoryCapFailsAloneAndTheServerKeepsServing() throws Exception {
        RunningPdp pdp = probePdp(PdpConfig.defaults().withMaxMemoryBytes(16L << 20).withEvalTimeout(Duration.ofSeconds(5)));

        StatusRuntimeException e = failure(pdp, request("probe/hog", ContractCase.struct("{\"hog\": true}")));

        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("policy aborted"), e.getStatus().getDescription());
        assertServesNormally(pdp);
    }

    @Test
    void bareBooleanResultIsTheAllow() throws Exception {
        RunningPdp pdp = probePdp(PdpConfig.defaults());

        assertTrue(pdp.decisions().decide(request("probe/bare", ContractCase.struct("{\"ok\": true}"))).getAllow());
        assertFalse(pdp.decisions().decide(request("probe/bare", ContractCase.struct("{\"ok\": false}"))).getAllow());
    }

    @Test
    void bareNonBooleanResultIsADenyNamingTheProblem() throws Exception {
        RunningPdp pdp = probePdp(PdpConfig.defaults());

        DecideResponse response = pdp.decisions().decide(request("probe/bare", ContractCase.struct("{\"ok\": \"yes\"}")));

        assertFalse(response.getAllow());
        assertEquals("POLICY_RESULT_INVALID", response.getViolations(0).getCode());
    }

    @Test
    void undefinedResultIsADeny() throws Exception {
        RunningPdp pdp = probePdp(PdpConfig.defaults());

        DecideResponse response = pdp.decisions().decide(request("probe/never", Struct.getDefaultInstance()));

        assertFalse(response.getAllow());
        assertEquals("POLICY_UNDEFINED", response.getViolations(0).getCode());
        assertEquals("pdp/fail-closed", response.getViolations(0).getClause());
        assertFalse(response.hasResult());
    }

    @Test
    void objectResultWithoutBooleanAllowIsADeny() throws Exception {
        RunningPdp pdp = probePdp(PdpConfig.defaults());

        DecideResponse response = pdp.decisions().decide(request("probe/no_allow", Struct.getDefaultInstance()));

        assertFalse(response.getAllow());
        assertEquals("POLICY_RESULT_INVALID", response.getViolations(0).getCode());
    }

    @Test
    void batchOverTheLimitIsInvalidArgumentNamingTheLimit() throws Exception {
        RunningPdp pdp = probePdp(PdpConfig.defaults().withMaxBatchItems(2));
        DecideBatchRequest.Builder batch = DecideBatchRequest.newBuilder();
        for (int i = 0; i < 3; i++) {
            batch.addRequests(request("probe/fast", Struct.getDefaultInstance()));
        }

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pdp.decisions().decideBatch(batch.build()));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("the limit is 2"), e.getStatus().getDescription());
        assertServesNormally(pdp);
    }

    @Test
    void aBatchItemWithAPathOfThousandsOfSegmentsFailsAloneAsInvalidArgument() throws Exception {
        RunningPdp pdp = probePdp(PdpConfig.defaults());
        DecideBatchRequest batch = DecideBatchRequest.newBuilder()
                .addRequests(request("probe/fast", Struct.getDefaultInstance()))
                .addRequests(request("probe/" + "a/".repeat(1_500) + "fast", Struct.getDefaultInstance()))
                .addRequests(request("probe/fast", Struct.getDefaultInstance()))
                .build();

        var answer = pdp.decisions().decideBatch(batch);

        assertEquals(Status.Code.OK.value(), answer.getItems(0).getStatus().getCode());
        assertTrue(answer.getItems(0).getResponse().getAllow());
        assertEquals(Status.Code.INVALID_ARGUMENT.value(), answer.getItems(1).getStatus().getCode());
        assertTrue(answer.getItems(2).getResponse().getAllow());
        assertServesNormally(pdp);
    }

    @Test
    void aRequestIdOfAMegabyteIsInvalidArgumentQuotedByAShortPrefix() throws Exception {
        RunningPdp pdp = probePdp(PdpConfig.defaults());
        DecideRequest request = request("probe/fast", Struct.getDefaultInstance()).toBuilder()
                .setRequestId("r".repeat(1 << 20)).build();

        StatusRuntimeException e = failure(pdp, request);

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().length() < 400, e.getStatus().getDescription());
        assertServesNormally(pdp);
    }

    @Test
    void batchOverItsByteLimitIsResourceExhaustedNamingTheLimit() throws Exception {
        RunningPdp pdp = probePdp(PdpConfig.defaults().withMaxBatchBytes(4096));
        Struct bulky = Struct.newBuilder().putFields("pad", Value.newBuilder().setStringValue("p".repeat(1500)).build())
                .build();
        DecideBatchRequest.Builder batch = DecideBatchRequest.newBuilder();
        for (int i = 0; i < 3; i++) {
            batch.addRequests(request("probe/fast", bulky));
        }

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pdp.decisions().decideBatch(batch.build()));

        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("the limit is 4096 (--max-batch-bytes)"),
                e.getStatus().getDescription());
        assertServesNormally(pdp);
    }
}
