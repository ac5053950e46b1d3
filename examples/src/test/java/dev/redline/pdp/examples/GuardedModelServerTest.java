package dev.redline.pdp.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.sdk.Decision;
import dev.redline.pdp.sdk.PdpClient;
import dev.redline.pdp.server.PdpServer;
import dev.redline.pdp.server.config.PdpConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example model server against the real PDP on a loopback port. */
class GuardedModelServerTest {
    @TempDir
    static Path dataDir;

    private static PdpServer pdp;

    @BeforeAll
    static void start() throws IOException {
        pdp = PdpServer.builder(PdpConfig.defaults().withWarmupTimeout(java.time.Duration.ZERO).withPort(0).withAdminPort(0).withDataDir(dataDir)).start();
    }

    @AfterAll
    static void stop() {
        pdp.close();
    }

    /** Serves every sample request with {@code model}, and returns what was printed. */
    private static String serveAll(UnaryOperator<String> model) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (PdpClient client = PdpClient.builder().target("127.0.0.1:" + pdp.port()).plaintext()
                .defaultDeadline(Duration.ofSeconds(10)).build()) {
            GuardedModelServer server = new GuardedModelServer(client, model,
                    new PrintStream(printed, true, StandardCharsets.UTF_8));
            GuardedModelServer.sampleRequests().forEach(server::serve);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    private static List<String> verdicts(String printed) {
        return printed.lines().filter(line -> line.startsWith("ALLOW") || line.startsWith("DENY")).toList();
    }

    @Test
    void printsAllowOrDenyForEverySampleRequest() {
        assertEquals(List.of(
                "ALLOW  logistics planning",
                "DENY   autonomous targeting -> AUTONOMOUS_WEAPONS, MACHINE_TARGET_SELECTION",
                "ALLOW  foreign SIGINT (obligations: US_PERSON_MINIMIZATION)",
                "ALLOW  human-in-the-loop targeting support (obligations: HUMAN_DECISION_REQUIRED)",
                "ALLOW  personnel evaluation with human review (obligations: HUMAN_REVIEW_REQUIRED)",
                "DENY   edge deployment on a drone -> EDGE_DEPLOYMENT, OPERATIONAL_HARDWARE",
                "DENY   customer overriding a refusal -> REFUSAL_HONORED, SAFETY_STACK_PROVIDER_CONTROLLED",
                "ALLOW  provider overriding a refusal (obligations: PROVIDER_OVERRIDE_AUDITED)"),
                verdicts(serveAll(GuardedModelServer::cannedModel)));
    }

    @Test
    void printsWhyForEachViolationOfADeny() {
        List<String> why = serveAll(GuardedModelServer::cannedModel).lines()
                .filter(line -> line.startsWith("       why: ")).map(line -> line.substring(12, line.indexOf(']') + 1))
                .toList();

        assertEquals(List.of(
                "AUTONOMOUS_WEAPONS [red-line/autonomous-weapons]",
                "MACHINE_TARGET_SELECTION [red-line/autonomous-weapons]",
                "EDGE_DEPLOYMENT [deployment/cloud-only]",
                "OPERATIONAL_HARDWARE [deployment/cloud-only]",
                "REFUSAL_HONORED [safety-stack/refusal]",
                "SAFETY_STACK_PROVIDER_CONTROLLED [safety-stack/provider-control]"), why);
    }

    @Test
    void theModelRunsForTheAllowedRequestsOnly() {
        List<String> prompts = new ArrayList<>();

        serveAll(prompt -> {
            prompts.add(prompt);
            return "ok";
        });

        assertEquals(List.of(
                "Plan fuel resupply for three convoys.",
                "Translate and summarize the intercepted foreign communications.",
                "Summarize collateral-damage considerations for the targets the colonel selected.",
                "Draft performance summaries for the unit's annual reviews.",
                "Re-run the refused benign request after review."), prompts);
    }

    @Test
    void theOutputOfAUseOfForceRequestIsMarkedAsAdviceToAnAccountableHuman() {
        assertTrue(serveAll(GuardedModelServer::cannedModel).contains(
                "       ADVICE ONLY, an accountable human decides: [model] draft answer to: "
                        + "Summarize collateral-damage considerations for the targets the colonel selected.\n"));
    }

    @Test
    void theOutputOfAHighStakesAutomatedDecisionIsHeldForHumanReview() {
        assertTrue(serveAll(GuardedModelServer::cannedModel).contains(
                "       [model] draft answer to: Draft performance summaries for the unit's annual reviews.\n"
                        + "       (held for human review before it takes effect)\n"));
    }

    @Test
    void runServesEveryRequestAgainstTheTargetAndReturnsTheDecisionsInOrder() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        List<Decision> decisions = GuardedModelServer.run("127.0.0.1:" + pdp.port(),
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertEquals(List.of(true, false, true, true, true, false, false, true),
                decisions.stream().map(Decision::allowed).toList());
        assertTrue(printed.toString(StandardCharsets.UTF_8)
                .startsWith("Guarded model server, asking the PDP at 127.0.0.1:" + pdp.port() + "\n"));
    }

    @Test
    void withThePdpDownEveryRequestIsDeniedAndTheModelNeverRuns(@TempDir Path otherData) throws Exception {
        int port;
        try (PdpServer stopped = PdpServer.builder(PdpConfig.defaults().withWarmupTimeout(java.time.Duration.ZERO).withPort(0).withAdminPort(0)
                .withDataDir(otherData)).start()) {
            port = stopped.port();
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        List<Decision> decisions = GuardedModelServer.run("127.0.0.1:" + port,
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertTrue(decisions.stream().allMatch(d -> d.violationCodes().equals(List.of("PDP_UNAVAILABLE"))));
        String output = printed.toString(StandardCharsets.UTF_8);
        assertEquals(8, verdicts(output).stream().filter(line -> line.endsWith(" -> PDP_UNAVAILABLE")).count());
        assertTrue(output.contains("is unreachable, so everything was denied (fail closed)"));
        assertTrue(output.lines().noneMatch(line -> line.contains("[model]")));
    }
}
