package dev.redline.pdp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.sdk.ContractInput.ActionType;
import dev.redline.pdp.sdk.ContractInput.Autonomy;
import dev.redline.pdp.sdk.ContractInput.Clearance;
import dev.redline.pdp.sdk.ContractInput.Location;
import dev.redline.pdp.sdk.ContractInput.Org;
import dev.redline.pdp.sdk.ContractInput.Scope;
import dev.redline.pdp.sdk.ContractInput.Selector;
import dev.redline.pdp.sdk.ContractInput.Target;
import dev.redline.pdp.sdk.ContractInput.UsPersons;
import dev.redline.pdp.server.PdpServer;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK against a real PDP on a loopback port, and against PDPs that are down or too slow. */
class PdpClientTest {
    @TempDir
    static Path dataDir;

    private static PdpServer pdp;
    private static PdpClient client;

    @BeforeAll
    static void start() throws Exception {
        pdp = PdpServer.builder(config(dataDir)).start();
        client = PdpClient.builder().target("127.0.0.1:" + pdp.port()).plaintext()
                .defaultDeadline(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        pdp.close();
    }

    static PdpConfig config(Path dataDir) {
        return PdpConfig.defaults().withPort(0).withAdminPort(0).withDataDir(dataDir);
    }

    static ContractInput.Builder analyst() {
        return ContractInput.builder().subject("analyst-17", Org.CUSTOMER).clearance(Clearance.NONE)
                .action(ActionType.INFERENCE).deployment("govcloud-east", Target.CLOUD_API);
    }

    static ContractInput autonomousTargeting() {
        return ContractInput.builder().subject("analyst-17", Org.CUSTOMER).clearance(Clearance.SECRET)
                .action(ActionType.INFERENCE).deployment("govcloud-secret-east", Target.CLOUD_API)
                .purpose("targeting").useOfForce(true, Autonomy.AUTONOMOUS, Selector.MACHINE, "col-smith").build();
    }

    private static List<String> codes(Decision decision) {
        return decision.violations().stream().map(Violation::code).toList();
    }

    @Test
    void allowsLogisticsForACustomerAnalyst() {
        Decision decision = client.decide(analyst().purpose("logistics").build(), "req-1");

        assertTrue(decision.allowed());
        assertEquals(List.of(), decision.violations());
        assertEquals(List.of(), decision.obligations());
        assertEquals("req-1", decision.requestId());
        assertEquals("built-in:contract", decision.bundleName());
        assertTrue(decision.bundleRevision().startsWith("sha256:"));
        assertFalse(decision.decisionId().isEmpty());
    }

    @Test
    void deniesAutonomousMachineTargetingWithBothRedLineViolations() {
        Decision decision = client.decide(autonomousTargeting());

        assertFalse(decision.allowed());
        assertEquals(List.of("AUTONOMOUS_WEAPONS", "MACHINE_TARGET_SELECTION"), codes(decision));
        assertEquals("red-line/autonomous-weapons", decision.violations().get(0).clause());
        assertFalse(decision.isFailClosed());
    }

    @Test
    void allowsTargetedForeignSigintWithTheMinimizationObligation() {
        Decision decision = client.decide(analyst().purpose("signals_intelligence")
                .surveillance(UsPersons.NO, Location.FOREIGN, Scope.TARGETED, null, "eo12333").build());

        assertTrue(decision.allowed());
        assertEquals(List.of(new Obligation("US_PERSON_MINIMIZATION", decision.obligations().get(0).message())),
                decision.obligations());
        assertTrue(decision.hasObligation("US_PERSON_MINIMIZATION"));
    }

    @Test
    void asyncDecisionAgreesWithTheBlockingOne() throws Exception {
        Decision blocking = client.decide(autonomousTargeting());
        Decision async = client.decideAsync(autonomousTargeting()).get();

        assertEquals(blocking.allowed(), async.allowed());
        assertEquals(blocking.violations(), async.violations());
        assertEquals(blocking.bundleRevision(), async.bundleRevision());
    }

    @Test
    void enforceRunsTheActionWhenAllowed() {
        String answer = client.enforce(analyst().purpose("logistics").build(), () -> "convoy plan");

        assertEquals("convoy plan", answer);
    }

    @Test
    void enforceDoesNotRunTheActionWhenDeniedAndThrowsTheViolations() {
        AtomicBoolean ran = new AtomicBoolean();

        PolicyDeniedException e = assertThrows(PolicyDeniedException.class,
                () -> client.enforce(autonomousTargeting(), () -> ran.getAndSet(true)));

        assertFalse(ran.get());
        assertEquals(List.of("AUTONOMOUS_WEAPONS", "MACHINE_TARGET_SELECTION"),
                e.violations().stream().map(Violation::code).toList());
    }

    @Test
    void rawMapInputDecidesOnAnyPath() {
        Decision decision = client.decide("contract/decision", Map.of(
                "subject", Map.of("id", "a", "org", "customer"),
                "action", Map.of("type", "inference"),
                "resource", Map.of("deployment", Map.of("id", "govcloud-east", "target", "edge"))));

        assertEquals(List.of("EDGE_DEPLOYMENT"), codes(decision));
    }

    @Test
    void anErrorStatusIsADenyNamingTheStatus() {
        Decision decision = client.decide("no/such/rule", Map.of());

        assertFalse(decision.allowed());
        assertEquals(List.of(Decision.PDP_ERROR), codes(decision));
        assertTrue(decision.violations().get(0).message().contains("NOT_FOUND"), decision.violations().get(0).message());
        assertEquals(Decision.FAIL_CLOSED_CLAUSE, decision.violations().get(0).clause());
        assertTrue(decision.isFailClosed());
    }

    @Test
    void aPdpThatIsDownIsADenyAndEnforceRunsNothing(@TempDir Path otherData) throws Exception {
        int port;
        try (PdpServer stopped = PdpServer.builder(config(otherData)).start()) {
            port = stopped.port();
        }
        try (PdpClient down = PdpClient.builder().target("127.0.0.1:" + port).plaintext().build()) {
            Decision decision = down.decide(analyst().purpose("logistics").build());
            assertFalse(decision.allowed());
            assertEquals(List.of(Decision.PDP_UNAVAILABLE), codes(decision));

            AtomicBoolean ran = new AtomicBoolean();
            assertThrows(PolicyDeniedException.class, () -> down.enforce(analyst().purpose("logistics").build(), () -> ran.getAndSet(true)));
            assertFalse(ran.get());
            assertEquals(List.of(Decision.PDP_UNAVAILABLE), codes(down.decideAsync(analyst().purpose("logistics").build()).get()));
        }
    }

    @Test
    void aPdpThatAnswersTooSlowlyIsADeny(@TempDir Path otherData) throws Exception {
        ServerInterceptor slow = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return next.startCall(call, headers);
            }
        };
        try (PdpServer sluggish = PdpServer.builder(config(otherData)).addInterceptor(slow).start();
                PdpClient impatient = PdpClient.builder().target("127.0.0.1:" + sluggish.port()).plaintext()
                        .defaultDeadline(Duration.ofMillis(200)).build()) {
            Decision decision = impatient.decide(analyst().purpose("logistics").build());

            assertFalse(decision.allowed());
            assertEquals(List.of(Decision.PDP_TIMEOUT), codes(decision));
        }
    }
}
