package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.ChildPdp;
import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.RunningPdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.server.cli.PdpCommand;
import dev.redline.pdp.server.config.PdpConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code pdp audit verify} reads a log directory; {@code pdp audit get|tail} ask a running PDP over gRPC;
 * {@code pdp serve --no-audit} says the log is off.
 */
class DecisionLogCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path auditDir;

    private RunningPdp pdp;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void stop() throws Exception {
        if (pdp != null) {
            pdp.close();
        }
    }

    private int pdp(String... args) {
        CommandLine command = PdpCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        return command.execute(args);
    }

    private List<String> decide(String... contractCases) throws Exception {
        if (pdp == null) {
            pdp = RunningPdp.start(PdpConfig.defaults().withAudit(PdpConfig.defaults().audit().withDir(auditDir)));
        }
        List<String> ids = new ArrayList<>();
        for (String c : contractCases) {
            ids.add(pdp.decisions().decide(DecideRequest.newBuilder().setRequestId(c)
                    .setInput(ContractCase.named(c).input()).build()).getDecisionId());
        }
        return ids;
    }

    private String address() {
        return "127.0.0.1:" + pdp.server.adminPort();
    }

    @Test
    void verifyOfAnIntactLogSaysOkAndExitsZero() throws Exception {
        decide("allowed-logistics", "social-scoring");
        pdp.close();
        pdp = null;
        String lastHash = JSON.readTree(Files.readAllLines(auditDir.resolve("00000001.jsonl")).get(1)).path("hash").asText();

        int exit = pdp("audit", "verify", auditDir.toString());

        assertEquals(0, exit, err.toString());
        assertEquals("ok: 1 segment, 2 records (seq 1 to 2), chain ends in hash " + lastHash + "\n", out.toString());
    }

    @Test
    void verifyOfATamperedLogNamesTheRecordAndExitsOne() throws Exception {
        decide("allowed-logistics", "social-scoring");
        pdp.close();
        pdp = null;
        Path segment = auditDir.resolve("00000001.jsonl");
        Files.writeString(segment, Files.readString(segment).replace("SOCIAL_SCORING", "NOTHING_TO_SEE"));

        int exit = pdp("audit", "verify", auditDir.toString());

        assertEquals(1, exit);
        assertEquals("FAILED: 00000001.jsonl line 2 (seq 2): edited: its content does not match its hash\n"
                + "(the record before it is intact)\n", out.toString());
    }

    @Test
    void verifyWithoutTheKeyExitsTwoAndSaysWhichKeyItLookedFor() throws Exception {
        decide("allowed-logistics");
        pdp.close();
        pdp = null;
        Files.move(auditDir.resolve("audit.key"), auditDir.resolveSibling(auditDir.getFileName() + ".key"));

        int exit = pdp("audit", "verify", auditDir.toString());

        assertEquals(2, exit);
        assertEquals("pdp audit verify: audit key file " + auditDir.resolve("audit.key") + " does not exist (pass the"
                + " log's key with --key-file)\n", err.toString());
    }

    @Test
    void verifyWithTheKeyFileElsewhereChecksTheLog() throws Exception {
        decide("allowed-logistics");
        pdp.close();
        pdp = null;
        Path key = Files.move(auditDir.resolve("audit.key"), auditDir.resolveSibling(auditDir.getFileName() + ".key"));

        int exit = pdp("audit", "verify", auditDir.toString(), "--key-file", key.toString());

        assertEquals(0, exit, err.toString());
        assertTrue(out.toString().startsWith("ok: 1 segment, 1 record (seq 1 to 1)"), out.toString());
    }

    @Test
    void getPrintsTheDecisionRecordAsJson() throws Exception {
        String id = decide("allowed-logistics").get(0);

        int exit = pdp("audit", "get", id, "--address", address(), "--token-file", pdp.adminTokens.toString());
        JsonNode record = JSON.readTree(out.toString());

        assertEquals(0, exit, err.toString());
        assertEquals(id, record.path("decisionId").asText());
        assertEquals("allowed-logistics", record.path("requestId").asText());
        assertTrue(record.path("allow").asBoolean());
        assertEquals("analyst-17", record.path("input").path("subject").path("id").asText());
    }

    @Test
    void getOfAnUnknownDecisionExitsOneWithTheServersAnswer() throws Exception {
        decide("allowed-logistics");

        int exit = pdp("audit", "get", "0190f1c2-7a1b-7c3d-8e4f-123456789abc", "--address", address(), "--token-file", pdp.adminTokens.toString());

        assertEquals(1, exit);
        assertEquals("pdp audit get: NOT_FOUND: decision 0190f1c2-7a1b-7c3d-8e4f-123456789abc is not in the decision"
                + " log (never made, or deleted by retention)\n", err.toString());
    }

    @Test
    void tailPrintsTheNewestDecisionsOldestFirstOnePerLine() throws Exception {
        decide("allowed-logistics", "social-scoring", "denied-autonomous-targeting", "edge-deployment");

        int exit = pdp("audit", "tail", "-n", "3", "--address", address(), "--token-file", pdp.adminTokens.toString());

        assertEquals(0, exit, err.toString());
        assertEquals(List.of("social-scoring", "denied-autonomous-targeting", "edge-deployment"), requestIds(out.toString()));
    }

    @Test
    void tailWithFiltersPrintsOnlyMatchingDecisions() throws Exception {
        decide("allowed-logistics", "social-scoring", "denied-autonomous-targeting", "allowed-with-human-review");

        int exit = pdp("audit", "tail", "--denied", "--violation", "SOCIAL_SCORING", "--address", address(), "--token-file", pdp.adminTokens.toString());

        assertEquals(0, exit, err.toString());
        assertEquals(List.of("social-scoring"), requestIds(out.toString()));
    }

    private static List<String> requestIds(String jsonLines) throws Exception {
        List<String> ids = new ArrayList<>();
        for (String line : jsonLines.split("\n")) {
            ids.add(JSON.readTree(line).path("requestId").asText());
        }
        return ids;
    }

    @Test
    void serveWithNoAuditWarnsAtStartThatDecisionsAreAnsweredUnlogged() throws Exception {
        // a generous evaluation timeout: the start-up smoke evaluation must not fail on a loaded machine
        try (ChildPdp child = ChildPdp.start(auditDir.resolve("data"), "--no-audit", "--eval-timeout", "10s")) {
            assertEquals("off", child.startLine.path("audit").asText());
            JsonNode warning = child.linesBeforeStart.stream()
                    .filter(line -> line.path("msg").asText().equals("the decision log is off"))
                    .findFirst().orElseThrow(() -> new AssertionError("no warning in " + child.linesBeforeStart));
            assertEquals("warn", warning.path("level").asText());
            assertEquals("decisions are answered unlogged; --no-audit (audit: false) is meant for benchmarking only",
                    warning.path("advice").asText());
        }
    }

    @Test
    void serveHelpSaysNoAuditIsForBenchmarkingOnly() {
        assertEquals(0, pdp("serve", "--help"));

        String help = out.toString().replaceAll("\\s+", " ");
        assertTrue(help.contains("--no-audit For benchmarking only: turn the decision log off, so decisions are"
                + " answered unlogged"), help);
    }
}
