package dev.redline.pdp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decisions run on one thread per policy instance; health checks do not queue behind them. (A
 * decision that waited past the queue timeout for that thread is refused RESOURCE_EXHAUSTED: see
 * DecisionErrorsEndToEndTest.)
 */
class DecisionThreadsEndToEndTest {
    private static final String PROBE = """
            package probe

            fast := {"allow": true}

            # Runs until the evaluation timeout stops it; only when asked, so the bundle passes the
            # PDP's smoke evaluation on an empty input.
            slow := {"allow": count([1 |
            \tsome i in numbers.range(1, 4000)
            \tsome j in numbers.range(1, 4000)
            \ti + j < 0
            ]) == 0} if input.slow
            """;

    @TempDir
    static Path workDir;

    private static Path probeBundle;
    private RunningPdp pdp;

    @BeforeAll
    static void buildProbeBundle() throws Exception {
        probeBundle = OpaBundles.build(workDir, Map.of("probe.rego", PROBE), "probe/fast", "probe/slow");
    }

    @AfterEach
    void stop() {
        if (pdp != null) {
            pdp.close();
        }
    }

    /** One instance, hence one decision thread, held by a slow decision for about a second. */
    private RunningPdp startWithOneBusyThread(Duration queueTimeout) throws Exception {
        pdp = RunningPdp.start(PdpConfig.defaults().withBundle(probeBundle).withInstances(1)
                .withEvalTimeout(Duration.ofSeconds(1)).withQueueTimeout(queueTimeout));
        return pdp;
    }

    private static DecideRequest probe(String path, boolean slow) {
        return DecideRequest.newBuilder().setPath(path)
                .setInput(Struct.newBuilder().putFields("slow", Value.newBuilder().setBoolValue(slow).build()))
                .build();
    }

    /** Starts a slow decision and returns once the PDP has it (its failure completes the future). */
    private static CompletableFuture<Status> startSlowDecision(RunningPdp pdp) {
        CompletableFuture<Status> outcome = new CompletableFuture<>();
        DecisionServiceGrpc.newStub(pdp.channel).decide(probe("probe/slow", true), new StreamObserver<>() {
            @Override
            public void onNext(DecideResponse response) {}

            @Override
            public void onError(Throwable t) {
                outcome.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                outcome.complete(Status.OK);
            }
        });
        return outcome;
    }

    @Test
    void aHealthCheckIsAnsweredWhileTheOnlyDecisionThreadIsBusy() throws Exception {
        RunningPdp pdp = startWithOneBusyThread(Duration.ofSeconds(5));
        CompletableFuture<Status> slow = startSlowDecision(pdp);

        HealthCheckResponse health = HealthGrpc.newBlockingStub(pdp.channel)
                .withDeadlineAfter(500, TimeUnit.MILLISECONDS)
                .check(HealthCheckRequest.getDefaultInstance());

        assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());
        assertEquals(Status.Code.DEADLINE_EXCEEDED, slow.get(30, TimeUnit.SECONDS).getCode());
    }
}
