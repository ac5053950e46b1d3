package dev.redline.pdp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.server.config.GateSettings;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.harness.OpaBundles;
import dev.redline.pdp.server.harness.RunningPdp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pdp bundle push --activate --gate} against a real PDP that has logged real decisions:
 * bundles built by the pinned opa that only tighten pass, one that opens a red line is refused
 * with FAILED_PRECONDITION, and one forced with --allow-opening activates; refusals and forced
 * activations are in the hash-chained log, which still verifies.
 */
class ImpactGateEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    static RunningPdp pdp;
    static Path auditDir;
    static final List<String> surveillance = new ArrayList<>();

    @BeforeAll
    static void decideAndLog() throws Exception {
        Path base = bundle("base", ReplayEndToEndTest.BASE + ReplayEndToEndTest.DECISION);
        auditDir = work.resolve("audit");
        // the gate evaluates under the server's eval timeout: generous, so a loaded test machine's
        // pauses do not turn a replayed deny→allow into a failed evaluation
        PdpConfig config = PdpConfig.defaults().withBundle(base).withEvalTimeout(Duration.ofSeconds(10));
        pdp = RunningPdp.start(config.withAudit(config.audit().withDir(auditDir)));
        for (String use : List.of("weapons", "surveillance", "surveillance", "medical", "research", "chat")) {
            String id = pdp.decisions().decide(DecideRequest.newBuilder().setPath("redline/decision")
                    .setInputJson("{\"use\":\"" + use + "\"}").build()).getDecisionId();
            if (use.equals("surveillance")) {
                surveillance.add(id);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (pdp != null) {
            pdp.close();
        }
    }

    private static Path bundle(String revision, String rego) throws Exception {
        return OpaBundles.buildRevision(Files.createDirectories(work.resolve(revision)), Map.of("redline.rego", rego),
                revision, "redline/decision");
    }

    /** Forgets the surveillance red line. */
    private static Path opening(String revision) throws Exception {
        return bundle(revision, ReplayEndToEndTest.BASE.replace("input.use == \"surveillance\"",
                "input.use == \"never\"") + ReplayEndToEndTest.DECISION);
    }

    private static ReplayEndToEndTest.Run push(Path bundle, String... flags) {
        List<String> args = new ArrayList<>(List.of("bundle", "push", bundle.toString(), "--activate",
                "--address", "127.0.0.1:" + pdp.server.adminPort(), "--token-file", pdp.adminTokens.toString()));
        args.addAll(List.of(flags));
        return ReplayEndToEndTest.pdp(args.toArray(String[]::new));
    }

    private static List<JsonNode> gateRecords() throws Exception {
        List<JsonNode> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(auditDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    JsonNode record = JSON.readTree(line);
                    if (record.path("type").asText().equals("gate")) {
                        records.add(record);
                    }
                }
            }
        }
        return records;
    }

    @Test
    void aBundleThatOnlyTightensPassesTheGateAndActivates() throws Exception {
        Path tighter = bundle("tighter", ReplayEndToEndTest.BASE + ReplayEndToEndTest.TIGHTER
                + ReplayEndToEndTest.DECISION);

        ReplayEndToEndTest.Run run = push(tighter, "--gate");

        assertEquals(0, run.exit(), run.err());
        assertTrue(run.json().path("activated").asBoolean(), run.out());
        assertEquals("tighter", pdp.server.activeBundle().orElseThrow().revision());
    }

    @Test
    void aBundleThatOpensARedLineIsRefusedWithCountsAndExampleIdsAndRecorded() throws Exception {
        String activeBefore = pdp.server.activeBundle().orElseThrow().digest();

        ReplayEndToEndTest.Run run = push(opening("opening"), "--gate");

        assertEquals(1, run.exit());
        assertTrue(run.err().contains("FAILED_PRECONDITION"), run.err());
        assertTrue(run.err().contains("2 logged as deny would be allowed"), run.err());
        assertTrue(run.err().contains(surveillance.get(0)) && run.err().contains(surveillance.get(1)), run.err());
        assertEquals(activeBefore, pdp.server.activeBundle().orElseThrow().digest());
        assertTrue(gateRecords().stream().anyMatch(r -> r.path("outcome").asText().equals("refused")
                && r.path("report").path("candidate").path("revision").asText().equals("opening")
                && r.path("report").path("changes").path("deny_to_allow").path("count").asInt() == 2));
    }

    @Test
    void allowOpeningActivatesAnywayAndTheForcedActivationIsRecordedInAChainThatVerifies() throws Exception {
        ReplayEndToEndTest.Run run = push(opening("forced"), "--gate", "--allow-opening");

        assertEquals(0, run.exit(), run.err());
        assertEquals("forced", pdp.server.activeBundle().orElseThrow().revision());
        assertTrue(gateRecords().stream().anyMatch(r -> r.path("outcome").asText().equals("forced")
                && r.path("report").path("candidate").path("revision").asText().equals("forced")));
        ReplayEndToEndTest.Run verify = ReplayEndToEndTest.pdp("audit", "verify", auditDir.toString());
        assertEquals(0, verify.exit(), verify.out() + verify.err());
    }

    @Test
    void aServerConfiguredToGateGatesAPushThatDidNotAsk(@TempDir Path dataDir) throws Exception {
        PdpConfig config = PdpConfig.defaults().withDataDir(dataDir).withEvalTimeout(Duration.ofSeconds(10))
                .withBundle(bundle("base-gated", ReplayEndToEndTest.BASE + ReplayEndToEndTest.DECISION));
        config = config.withPolicy(config.policy().withGate(GateSettings.defaults().withEveryActivation(true)));
        try (RunningPdp gated = RunningPdp.start(config)) {
            gated.decisions().decide(DecideRequest.newBuilder().setPath("redline/decision")
                    .setInputJson("{\"use\":\"surveillance\"}").build());

            ReplayEndToEndTest.Run run = ReplayEndToEndTest.pdp("bundle", "push", opening("opening-ungated").toString(),
                    "--activate", "--address", "127.0.0.1:" + gated.server.adminPort(),
                    "--token-file", gated.adminTokens.toString());

            assertEquals(1, run.exit());
            assertTrue(run.err().contains("FAILED_PRECONDITION"), run.err());
            assertEquals("base-gated", gated.server.activeBundle().orElseThrow().revision());
        }
    }
}
