package dev.redline.pdp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.redline.pdp.server.PdpServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The SDK against the real PDP, with the built-in contract bundle, on a loopback port. */
class PdpClientTest {
    @TempDir
    static Path dataDir;

    private static PdpServer pdp;
    private static PdpClient client;

    @BeforeAll
    static void start() throws Exception {
        pdp = RealPdp.start(dataDir);
        client = RealPdp.client(pdp);
    }

    @AfterAll
    static void stop() {
        client.close();
        pdp.close();
    }

    // ---- the spec's examples, through ContractInput

    @Test
    void theSpecsLogisticsExampleIsAllowedWithoutViolationsOrObligations() {
        Decision decision = client.decide(SpecExamples.logistics());

        assertTrue(decision.allowed());
        assertEquals(List.of(), decision.violations());
        assertEquals(List.of(), decision.obligations());
        assertFalse(decision.isFailClosed());
    }

    @Test
    void theSpecsAutonomousTargetingExampleIsDeniedWithExactlyTheTwoAutonomousWeaponsViolations() {
        Decision decision = client.decide(SpecExamples.autonomousTargeting());

        assertFalse(decision.allowed());
        assertEquals(List.of("AUTONOMOUS_WEAPONS", "MACHINE_TARGET_SELECTION"), decision.violationCodes());
        assertEquals(List.of("red-line/autonomous-weapons", "red-line/autonomous-weapons"),
                decision.violations().stream().map(Violation::clause).toList());
        assertTrue(decision.violations().stream().noneMatch(v -> v.message().isBlank()));
        assertEquals(List.of(), decision.obligations());
        assertFalse(decision.isFailClosed());
    }

    @Test
    void theSpecsForeignSigintExampleIsAllowedWithExactlyTheUsPersonMinimizationObligation() {
        Decision decision = client.decide(SpecExamples.foreignSigint());

        assertTrue(decision.allowed());
        assertEquals(List.of(), decision.violations());
        assertEquals(List.of("US_PERSON_MINIMIZATION"), decision.obligationCodes());
        assertFalse(decision.obligation("US_PERSON_MINIMIZATION").orElseThrow().message().isBlank());
    }

    // ---- what a decision carries

    @Test
    void aDecisionNamesTheBundleAndRevisionThatDecided() {
        Decision decision = client.decide(SpecExamples.logistics());

        assertEquals("built-in:contract", decision.bundleName());
        assertEquals(pdp.activeBundle().orElseThrow().revision(), decision.bundleRevision());
    }

    @Test
    void everyDecisionHasItsOwnId() {
        Decision first = client.decide(SpecExamples.logistics());
        Decision second = client.decide(SpecExamples.logistics());

        assertFalse(first.decisionId().isEmpty());
        assertNotEquals(first.decisionId(), second.decisionId());
    }

    @Test
    void theRequestIdIsEchoed() {
        assertEquals("req-42", client.decide(SpecExamples.logistics(), "req-42").requestId());
        assertEquals("req-43", client.decideAsync(SpecExamples.logistics(), "req-43").join().requestId());
    }

    @Test
    void enforceSendsTheRequestIdAndHandsTheEchoToTheAction() {
        assertEquals("req-44", client.enforce(SpecExamples.logistics(), "req-44", Decision::requestId));
    }

    @Test
    void withoutARequestIdTheEchoIsEmpty() {
        assertEquals("", client.decide(SpecExamples.logistics()).requestId());
    }

    // ---- async

    static Stream<ContractInput> specExamples() {
        return Stream.of(SpecExamples.logistics(), SpecExamples.autonomousTargeting(), SpecExamples.foreignSigint());
    }

    @ParameterizedTest
    @MethodSource("specExamples")
    void decideAsyncAgreesWithDecide(ContractInput input) {
        Decision blocking = client.decide(input, "same");
        Decision async = client.decideAsync(input, "same").join();

        assertEquals(blocking.allowed(), async.allowed());
        assertEquals(blocking.violations(), async.violations());
        assertEquals(blocking.obligations(), async.obligations());
        assertEquals(blocking.requestId(), async.requestId());
        assertEquals(blocking.bundleName(), async.bundleName());
        assertEquals(blocking.bundleRevision(), async.bundleRevision());
    }

    // ---- enforce

    @Test
    void enforceRunsTheActionWhenAllowedAndReturnsItsResult() {
        String answer = client.enforce(SpecExamples.logistics(), () -> "convoy plan");

        assertEquals("convoy plan", answer);
    }

    @Test
    void enforceHandsTheAllowingDecisionToTheActionSoItCanHonourTheObligations() {
        List<String> obligations = client.enforce(SpecExamples.foreignSigint(), Decision::obligationCodes);

        assertEquals(List.of("US_PERSON_MINIMIZATION"), obligations);
    }

    @Test
    void enforceDoesNotRunTheActionWhenDeniedAndThrowsTheDecisionsViolations() {
        AtomicBoolean ran = new AtomicBoolean();

        PolicyDeniedException denied = assertThrows(PolicyDeniedException.class,
                () -> client.enforce(SpecExamples.autonomousTargeting(), () -> ran.getAndSet(true)));

        assertFalse(ran.get());
        assertEquals(List.of("AUTONOMOUS_WEAPONS", "MACHINE_TARGET_SELECTION"),
                denied.violations().stream().map(Violation::code).toList());
        assertFalse(denied.decision().allowed());
        assertTrue(denied.getMessage().startsWith("denied by policy: AUTONOMOUS_WEAPONS [red-line/autonomous-weapons]"),
                denied.getMessage());
    }

    // ---- other entrypoints and raw inputs

    @Test
    void aRawMapInputIsDecidedOnTheGivenPath() {
        Decision decision = client.decide("contract/decision", Map.of(
                "subject", Map.of("id", "analyst-17", "org", "customer"),
                "action", Map.of("type", "inference"),
                "resource", Map.of("deployment", Map.of("id", "govcloud-east", "target", "edge"))));

        assertFalse(decision.allowed());
        assertEquals(List.of("EDGE_DEPLOYMENT"), decision.violationCodes());
    }

    @Test
    void aRawStructInputIsDecidedOnTheGivenPath() {
        Decision decision = client.decide("contract/decision", SpecExamples.logistics().toStruct());

        assertTrue(decision.allowed());
    }

    @Test
    void anInputMissingARequiredFieldIsDeniedByThePolicyNotTheSdk() {
        Struct noSubject = Struct.newBuilder()
                .putFields("action", Value.newBuilder().setStructValue(Struct.newBuilder()
                        .putFields("type", Value.newBuilder().setStringValue("inference").build())).build())
                .build();

        Decision decision = client.decide(DecisionInput.of("contract/decision", noSubject));

        assertFalse(decision.allowed());
        assertTrue(decision.hasViolation("INVALID_INPUT"), decision.violationCodes().toString());
        assertFalse(decision.isFailClosed());
    }

    // ---- error statuses fail closed

    @Test
    void anEntrypointTheBundleDoesNotHaveIsAPdpErrorDenyNamingNotFound() {
        Decision decision = client.decide("no/such/rule", Map.of());

        assertFalse(decision.allowed());
        assertEquals(List.of(Decision.PDP_ERROR), decision.violationCodes());
        Violation violation = decision.violations().get(0);
        assertEquals("pdp/fail-closed", violation.clause());
        assertTrue(violation.message().startsWith("the PDP answered NOT_FOUND: "), violation.message());
        assertTrue(violation.message().contains("no/such/rule"), violation.message());
        assertTrue(decision.isFailClosed());
        assertEquals("", decision.decisionId());
    }

    @Test
    void aPathThePdpRejectsIsAPdpErrorDenyNamingInvalidArgument() {
        Decision decision = client.decide("/contract/decision", Map.of());

        assertEquals(List.of(Decision.PDP_ERROR), decision.violationCodes());
        assertTrue(decision.violations().get(0).message().startsWith("the PDP answered INVALID_ARGUMENT"),
                decision.violations().get(0).message());
    }

    @Test
    void decideAsyncCompletesNormallyWithTheSameErrorDeny() {
        Decision decision = client.decideAsync("no/such/rule", Map.of()).join();

        assertEquals(List.of(Decision.PDP_ERROR), decision.violationCodes());
        assertTrue(decision.violations().get(0).message().startsWith("the PDP answered NOT_FOUND: "));
    }

    @Test
    void enforceDoesNotRunTheActionOnAnErrorStatus() {
        AtomicBoolean ran = new AtomicBoolean();

        PolicyDeniedException denied = assertThrows(PolicyDeniedException.class,
                () -> client.enforce(DecisionInput.of("no/such/rule", Map.of()), () -> ran.getAndSet(true)));

        assertFalse(ran.get());
        assertEquals(List.of(Decision.PDP_ERROR), denied.decision().violationCodes());
    }

    // ---- channels and lifecycle

    @Test
    void aClientUsesAChannelPassedToItAndLeavesItOpenWhenClosed() throws Exception {
        ManagedChannel shared = ManagedChannelBuilder.forAddress("127.0.0.1", pdp.port()).usePlaintext().build();
        try {
            try (PdpClient borrowing = PdpClient.builder().channel(shared).defaultDeadline(Duration.ofSeconds(10)).build()) {
                assertTrue(borrowing.decide(SpecExamples.logistics()).allowed());
            }

            assertFalse(shared.isShutdown());
        } finally {
            shared.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void connectConnectsToARunningPdp() throws Exception {
        try (PdpClient fresh = RealPdp.client(pdp)) {
            assertTrue(fresh.connect(Duration.ofSeconds(10)));
            assertTrue(fresh.decide(SpecExamples.logistics()).allowed());
        }
    }

    @Test
    void aClosedClientDeniesWithPdpUnavailable() {
        PdpClient closed = RealPdp.client(pdp);
        closed.close();

        Decision decision = closed.decide(SpecExamples.logistics());

        assertFalse(decision.allowed());
        assertEquals(List.of(Decision.PDP_UNAVAILABLE), decision.violationCodes());
    }

    @Test
    void aViewWithAnotherDeadlineSharesTheChannelAndClosingItLeavesTheClientOpen() {
        PdpClient patient = client.withDeadline(Duration.ofSeconds(30));
        patient.close();

        assertEquals(Duration.ofSeconds(30), patient.deadline());
        assertTrue(patient.decide(SpecExamples.logistics()).allowed());
        assertTrue(client.decide(SpecExamples.logistics()).allowed());
    }
}
