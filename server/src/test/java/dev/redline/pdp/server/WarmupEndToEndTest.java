package dev.redline.pdp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecisionRecord;
import dev.redline.pdp.api.v1.ListDecisionsRequest;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.engine.WarmupReport;
import dev.redline.pdp.server.harness.ChildPdp;
import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.RunningPdp;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server warms its revision up before it serves: the first health answer a client can get
 * is SERVING with the warm-ups done (the policy's, then the decision port's), none of their
 * evaluations or calls is a recorded decision, and the start-up log line says how they went.
 */
class WarmupEndToEndTest {
    /** One server warmed up at start, asked nothing before these tests (only one of them decides). */
    private static RunningPdp warmed;

    @TempDir
    Path dir;

    @BeforeAll
    static void startWarmingUp(@TempDir Path auditParent) throws Exception {
        warmed = RunningPdp.startWarmingUp(PdpConfig.defaults().withWarmupTimeout(Duration.ofSeconds(2))
                .withAudit(PdpConfig.defaults().audit().withDir(auditParent.resolve("audit"))));
    }

    @AfterAll
    static void stop() {
        warmed.close();
    }

    @Test
    void theServerIsServingOnlyOnceItsRevisionHasBeenWarmedUpOnEveryWarmupInput() {
        ServingStatus first = warmed.health();

        WarmupReport warmup = warmed.server.activeWarmup().orElseThrow();
        assertEquals(ServingStatus.SERVING, first);
        int inputs = warmed.server.activeBundle().orElseThrow().warmupInputs().size();
        assertTrue(warmup.evaluations() >= inputs, warmup + " for " + inputs + " warm-up inputs");
    }

    @Test
    void theDecisionPortIsWarmedUpWithCallsBeforeItOpens() {
        WarmupReport frontDoor = warmed.server.frontDoorWarmup().orElseThrow();

        int inputs = warmed.server.activeBundle().orElseThrow().warmupInputs().size();
        assertTrue(frontDoor.evaluations() >= inputs, frontDoor + " for " + inputs + " warm-up inputs");
    }

    @Test
    void warmupEvaluationsAreNotRecordedAsDecisions() {
        String decided = warmed.decisions().decide(DecideRequest.newBuilder()
                .setInput(ContractCase.named("allowed-logistics").input()).build()).getDecisionId();

        List<DecisionRecord> logged = new ArrayList<>();
        warmed.audit().listDecisions(ListDecisionsRequest.getDefaultInstance()).forEachRemaining(logged::add);
        assertTrue(warmed.server.activeWarmup().orElseThrow().evaluations() > 0);
        assertTrue(warmed.server.frontDoorWarmup().orElseThrow().evaluations() > 0);
        assertEquals(List.of(decided), logged.stream().map(DecisionRecord::getDecisionId).toList());
    }

    @Test
    void theStartupLogLineSaysHowLongTheWarmupTookAndHowManyEvaluationsItMade() throws Exception {
        try (ChildPdp pdp = ChildPdp.start(dir, "--warmup-timeout", "2s")) {
            JsonNode warmup = pdp.startLine.path("warmup");

            assertTrue(warmup.path("ms").isIntegralNumber(), pdp.startLine.toString());
            assertTrue(warmup.path("evaluations").asLong() > 0, pdp.startLine.toString());
            assertTrue(warmup.path("settled").isBoolean(), pdp.startLine.toString());
            JsonNode frontDoor = pdp.startLine.path("front_door_warmup");
            assertTrue(frontDoor.path("calls").asLong() > 0, pdp.startLine.toString());
            assertTrue(frontDoor.path("settled").isBoolean(), pdp.startLine.toString());
        }
    }

    @Test
    void aServerStartedColdLogsNoWarmup() throws Exception {
        try (ChildPdp pdp = ChildPdp.start(dir, "--warmup-timeout", "0s")) {
            assertFalse(pdp.startLine.has("warmup"), pdp.startLine.toString());
            assertFalse(pdp.startLine.has("front_door_warmup"), pdp.startLine.toString());
        }
    }
}
