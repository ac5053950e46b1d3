package dev.redline.pdp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecisionRecord;
import dev.redline.pdp.api.v1.GetDecisionRequest;
import dev.redline.pdp.server.cli.PdpCommand;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.harness.OpaBundles;
import dev.redline.pdp.server.harness.RunningPdp;
import dev.redline.pdp.server.harness.SecretFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A replay asks the candidate at the time each decision had: a policy that allows only before a
 * cutoff, decided before it and replayed after it, answers the same, from the log directory and
 * through the admin API alike.
 */
class ReplayRecordedTimeEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READER_TOKEN = "auditor-token-0123456789abcdef";
    private static final Duration UNTIL_CUTOFF = Duration.ofSeconds(3);

    @TempDir
    static Path work;

    static RunningPdp pdp;
    static Path bundle;
    static Path auditDir;
    static final List<String> decided = new ArrayList<>();
    static long cutoffNanos;

    @BeforeAll
    static void decideBeforeTheCutoffThenLetItPass() throws Exception {
        bundle = OpaBundles.buildRevision(Files.createDirectories(work.resolve("timed")), Map.of("timed.rego", """
                package timed

                decision := {"allow": time.now_ns() < input.cutoff_ns, "violations": [], "obligations": []}
                """), "timed", "timed/decision");
        Path tokens = work.resolve("admin.tokens");
        SecretFile.write(tokens, "auditor reader " + READER_TOKEN + "\n");
        auditDir = work.resolve("audit");
        PdpConfig config = PdpConfig.defaults().withBundle(bundle).withAdminTokens(tokens);
        pdp = RunningPdp.start(config.withAudit(config.audit().withDir(auditDir)));
        cutoffNanos = System.currentTimeMillis() * 1_000_000L + UNTIL_CUTOFF.toNanos();
        for (int i = 0; i < 3; i++) {
            decided.add(pdp.decisions().decide(DecideRequest.newBuilder().setPath("timed/decision")
                    .setInputJson("{\"cutoff_ns\": " + cutoffNanos + "}").build()).getDecisionId());
        }
        while (System.currentTimeMillis() * 1_000_000L <= cutoffNanos) {
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() {
        if (pdp != null) {
            pdp.close();
        }
    }

    private static JsonNode replay(int expectedExit, String... source) throws Exception {
        List<String> args = new ArrayList<>(List.of("replay", "--bundle", bundle.toString(), "--json"));
        args.addAll(List.of(source));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = PdpCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        assertEquals(expectedExit, cli.execute(args.toArray(String[]::new)), err.toString());
        return JSON.readTree(out.toString());
    }

    @Test
    void eachDecisionsRecordCarriesTheTimeItsPolicyRead() {
        DecisionRecord record = pdp.audit().getDecision(GetDecisionRequest.newBuilder()
                .setDecisionId(decided.get(0)).build());

        assertTrue(record.getAllow(), "decided before the cutoff, so allowed: " + record);
        assertTrue(record.hasNowNs(), record.toString());
        assertTrue(record.getNowNs() < cutoffNanos, record.getNowNs() + " is not before " + cutoffNanos);
    }

    @Test
    void aReplayFromTheLogDirectoryEvaluatesAtTheRecordedTime() throws Exception {
        JsonNode report = replay(0, "--audit-dir", auditDir.toString());

        assertEquals(3, report.path("evaluated").asInt(), report.toString());
        assertEquals(3, report.path("same").asInt(), report.toString());
        assertEquals(0, report.path("changed").asInt(), report.toString());
    }

    @Test
    void aReplayThroughTheAdminApiEvaluatesAtTheRecordedTime() throws Exception {
        JsonNode report = replay(0, "--address", "127.0.0.1:" + pdp.server.adminPort(), "--token", READER_TOKEN);

        assertEquals(3, report.path("same").asInt(), report.toString());
        assertEquals(0, report.path("changed").asInt(), report.toString());
    }
}
