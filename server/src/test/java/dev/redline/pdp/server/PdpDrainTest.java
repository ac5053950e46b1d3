package dev.redline.pdp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.api.v1.GetStatusRequest;
import dev.redline.pdp.api.v1.PolicyAdminServiceGrpc;
import dev.redline.pdp.server.audit.AuditReader;
import dev.redline.pdp.server.audit.AuditSettings;
import dev.redline.pdp.server.audit.chain.AuditLog;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.harness.AdminCalls;
import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.RunningPdp;
import dev.redline.pdp.server.lifecycle.CallGate;
import dev.redline.pdp.server.lifecycle.Drain;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drain of a real PDP, in process, with one decision call held in flight by an interceptor until
 * the test lets it go: what happens while it is held, and what happens when the grace period ends
 * first.
 */
class PdpDrainTest {
    private static final Metadata.Key<String> HOLD = Metadata.Key.of("x-test-hold", Metadata.ASCII_STRING_MARSHALLER);
    private static final DecideRequest REQUEST = DecideRequest.newBuilder()
            .setInput(ContractCase.named("allowed-logistics").input()).build();

    @TempDir
    Path dataDir;

    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private RunningPdp pdp;

    /** Holds a decision call that carries {@link #HOLD} on its decision thread until {@link #release}. */
    private final ServerInterceptor holder = new ServerInterceptor() {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            if (headers.containsKey(HOLD)) {
                held.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return next.startCall(call, headers);
        }
    };

    @AfterEach
    void stop() {
        release.countDown();
        if (pdp != null) {
            pdp.close();
        }
        threads.shutdownNow();
    }

    private void start(Duration grace) throws Exception {
        pdp = RunningPdp.start(PdpConfig.defaults().withDataDir(dataDir).withInstances(2).withShutdownGrace(grace),
                builder -> builder.addInterceptor(holder));
    }

    /** Sends a decision call that the PDP holds in flight; returns once it is held. */
    private CompletableFuture<DecideResponse> heldCall() throws InterruptedException {
        Metadata hold = new Metadata();
        hold.put(HOLD, "yes");
        CompletableFuture<DecideResponse> answer = CompletableFuture.supplyAsync(() -> DecisionServiceGrpc
                .newBlockingStub(pdp.channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(hold))
                .withDeadlineAfter(60, TimeUnit.SECONDS)
                .decide(REQUEST), threads);
        assertTrue(held.await(30, TimeUnit.SECONDS), "the call reached the PDP");
        return answer;
    }

    private CompletableFuture<Drain.Outcome> drainInBackground() throws InterruptedException {
        CompletableFuture<Drain.Outcome> drain = CompletableFuture.supplyAsync(pdp.server::drain, threads);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!pdp.server.draining() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(pdp.server.draining(), "the drain began");
        return drain;
    }

    @Test
    void whileACallIsInFlightHealthSaysNotServingForTheServerAndTheDecisionService() throws Exception {
        start(Duration.ofSeconds(60));
        heldCall();
        drainInBackground();

        var health = HealthGrpc.newBlockingStub(pdp.channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        assertEquals(ServingStatus.NOT_SERVING, health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
        assertEquals(ServingStatus.NOT_SERVING, health.check(HealthCheckRequest.newBuilder()
                .setService(DecisionServiceGrpc.SERVICE_NAME).build()).getStatus());
    }

    @Test
    void whileACallIsInFlightNewCallsOnBothPortsAreRefusedUnavailableSayingThePdpIsDraining() throws Exception {
        start(Duration.ofSeconds(60));
        heldCall();
        drainInBackground();

        StatusRuntimeException decision = assertThrows(StatusRuntimeException.class,
                () -> pdp.decisions().decide(REQUEST));
        StatusRuntimeException admin = assertThrows(StatusRuntimeException.class,
                () -> PolicyAdminServiceGrpc.newBlockingStub(pdp.adminChannel)
                        .withCallCredentials(AdminCalls.bearer(AdminCalls.firstToken(pdp.adminTokens)))
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .getStatus(GetStatusRequest.getDefaultInstance()));

        for (StatusRuntimeException refused : new StatusRuntimeException[] {decision, admin}) {
            assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
            assertEquals(CallGate.DRAINING, refused.getStatus().getDescription());
        }
    }

    @Test
    void theCallInFlightIsAnsweredAndOnRecordAndTheLogEndsStoppedCleanly() throws Exception {
        start(Duration.ofSeconds(60));
        CompletableFuture<DecideResponse> inFlight = heldCall();
        CompletableFuture<Drain.Outcome> drain = drainInBackground();
        assertFalse(drain.isDone(), "the drain waits for the call in flight");

        release.countDown();
        DecideResponse answer = inFlight.get(30, TimeUnit.SECONDS);
        Drain.Outcome outcome = drain.get(30, TimeUnit.SECONDS);

        assertEquals(new Drain.Outcome(true, 0, outcome.took()), outcome);
        try (AuditLog log = reopenLog()) {
            assertEquals(Optional.empty(), log.uncleanEnd(), "the next start finds a clean stop");
            assertTrue(AuditReader.of(log).find(answer.getDecisionId()).isPresent(), "the answered decision is on record");
        }
    }

    @Test
    void pastTheGracePeriodTheCallInFlightIsCutUnansweredAndTheLogIsNotMarkedStopped() throws Exception {
        start(Duration.ofMillis(200));
        pdp.decisions().decide(REQUEST); // a log with a record, whose end the next start judges
        CompletableFuture<DecideResponse> inFlight = heldCall();

        Drain.Outcome outcome = pdp.server.drain();
        release.countDown();

        assertEquals(false, outcome.drained());
        assertEquals(1, outcome.callsCut());
        ExecutionException cut = assertThrows(ExecutionException.class, () -> inFlight.get(30, TimeUnit.SECONDS));
        assertNotEquals(Status.Code.OK, Status.fromThrowable(cut.getCause()).getCode());
        try (AuditLog log = reopenLog()) {
            assertTrue(log.uncleanEnd().isPresent(), "the next start says the run did not stop cleanly");
        }
    }

    private AuditLog reopenLog() throws Exception {
        return AuditLog.open(AuditSettings.defaults().withDir(dataDir.resolve("audit")).chain(), Clock.systemUTC(),
                (writable, reason) -> {});
    }
}
