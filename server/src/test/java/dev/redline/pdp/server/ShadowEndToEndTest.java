package dev.redline.pdp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.harness.SecretFile;
import dev.redline.pdp.server.harness.OpaBundles;
import dev.redline.pdp.server.harness.RunningPdp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pdp bundle shadow} on a real PDP with a real chained log: a stored bundle built by the
 * pinned opa that opens a red line is shadowed; decisions are answered by the active bundle as
 * before, each difference is a {@code shadow} record that {@code pdp audit verify} covers, the
 * shadow report counts the deny→allow changes with their decision ids, and /metrics counts them.
 * Stopping ends it, activating the shadowed bundle ends it, and a restart keeps it.
 */
class ShadowEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String READER_TOKEN = "auditor-token-0123456789abcdef";

    @TempDir
    Path work;

    private Path dataDir;
    private Path auditDir;

    private RunningPdp start() throws Exception {
        dataDir = work.resolve("data");
        auditDir = work.resolve("audit");
        Path base = OpaBundles.buildRevision(Files.createDirectories(work.resolve("base")),
                Map.of("redline.rego", ReplayEndToEndTest.BASE + ReplayEndToEndTest.DECISION), "base",
                "redline/decision");
        Path tokens = work.resolve("admin.tokens");
        SecretFile.write(tokens, "ops admin ops-token-0123456789abcdef\nauditor reader " + READER_TOKEN + "\n");
        PdpConfig config = PdpConfig.defaults().withDataDir(dataDir).withBundle(base).withAdminTokens(tokens)
                .withEvalTimeout(Duration.ofSeconds(10)).withMetricsPort(0);
        return RunningPdp.start(config.withAudit(config.audit().withDir(auditDir)));
    }

    /** Stores (does not activate) a bundle that forgets the surveillance red line; returns its digest. */
    private String storeOpening(RunningPdp pdp) throws Exception {
        Path opening = OpaBundles.buildRevision(Files.createDirectories(work.resolve("opening")),
                Map.of("redline.rego", ReplayEndToEndTest.BASE.replace("input.use == \"surveillance\"",
                        "input.use == \"never\"") + ReplayEndToEndTest.DECISION), "opening", "redline/decision");
        ReplayEndToEndTest.Run push = admin(pdp, "bundle", "push", opening.toString());
        assertEquals(0, push.exit(), push.err());
        return push.json().path("bundle").path("digest").asText();
    }

    private static ReplayEndToEndTest.Run admin(RunningPdp pdp, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--address", "127.0.0.1:" + pdp.server.adminPort(), "--token-file",
                pdp.adminTokens.toString()));
        return ReplayEndToEndTest.pdp(all.toArray(String[]::new));
    }

    private static DecideResponse decide(RunningPdp pdp, String use) {
        return pdp.decisions().decide(DecideRequest.newBuilder().setPath("redline/decision")
                .setInputJson("{\"use\":\"" + use + "\"}").build());
    }

    /**
     * Decides {@code use} and waits until the shadow has taken it up (evaluated, failed or dropped),
     * so the next decision never finds the single shadow thread busy.
     */
    private static DecideResponse decideShadowed(RunningPdp pdp, String use) throws Exception {
        long before = shadowed(report(pdp));
        DecideResponse answer = decide(pdp, use);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (shadowed(report(pdp)) == before) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the shadow never took up the decision " + answer.getDecisionId());
            }
            Thread.sleep(20);
        }
        return answer;
    }

    private static long shadowed(JsonNode report) {
        long failed = 0;
        for (JsonNode count : report.path("report").path("failed")) {
            failed += count.asLong();
        }
        return report.path("report").path("evaluated").asLong() + failed + report.path("dropped").asLong();
    }

    private static JsonNode report(RunningPdp pdp) throws Exception {
        ReplayEndToEndTest.Run run = admin(pdp, "bundle", "shadow-report");
        assertEquals(0, run.exit(), run.err());
        return run.json();
    }

    private List<JsonNode> shadowRecords() throws Exception {
        List<JsonNode> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(auditDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    JsonNode record = JSON.readTree(line);
                    if (record.path("type").asText().equals("shadow")) {
                        records.add(record);
                    }
                }
            }
        }
        return records;
    }

    private static String metrics(RunningPdp pdp) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + pdp.server.metricsPort().orElseThrow() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aShadowThatOpensARedLineIsRecordedAndReportedWhileTheAnswersStayTheActiveBundles() throws Exception {
        try (RunningPdp pdp = start()) {
            String opening = storeOpening(pdp);
            ReplayEndToEndTest.Run shadow = admin(pdp, "bundle", "shadow", opening);
            assertEquals(0, shadow.exit(), shadow.err());
            assertEquals("opening", shadow.json().path("bundle").path("revision").asText());

            List<String> surveillance = new ArrayList<>();
            for (String use : List.of("surveillance", "weapons", "chat", "surveillance")) {
                DecideResponse answer = decideShadowed(pdp, use);
                assertEquals(use.equals("chat"), answer.getAllow(), use); // the active bundle's answer
                assertEquals("base", answer.getBundle().getRevision());
                if (use.equals("surveillance")) {
                    surveillance.add(answer.getDecisionId());
                }
            }

            JsonNode report = report(pdp).path("report");
            assertEquals(4, report.path("evaluated").asInt(), report.toString());
            assertEquals(2, report.path("same").asInt(), report.toString());
            JsonNode opened = report.path("changes").path("deny_to_allow");
            assertEquals(2, opened.path("count").asInt(), report.toString());
            assertEquals(surveillance, JSON.convertValue(opened.path("examples"), List.class));
            assertEquals(2, report.path("by_code").path("SURVEILLANCE").path("deny_to_allow").asInt());

            List<JsonNode> records = shadowRecords();
            assertEquals(surveillance, records.stream().map(r -> r.path("decision_id").asText()).toList());
            JsonNode first = records.get(0);
            assertEquals(opening, first.path("bundle").path("digest").asText());
            assertEquals("opening", first.path("bundle").path("revision").asText());
            assertTrue(first.path("allow").asBoolean());
            assertFalse(first.path("active_allow").asBoolean());
            assertEquals("deny_to_allow", first.path("change").asText());
            assertTrue(metrics(pdp).contains("pdp_shadow_differences_total{change=\"deny_to_allow\"} 2.0"),
                    metrics(pdp));
        }
        ReplayEndToEndTest.Run verify = ReplayEndToEndTest.pdp("audit", "verify", auditDir.toString());
        assertEquals(0, verify.exit(), verify.out() + verify.err());
    }

    @Test
    void aTamperedShadowRecordFailsVerification() throws Exception {
        try (RunningPdp pdp = start()) {
            assertEquals(0, admin(pdp, "bundle", "shadow", storeOpening(pdp)).exit());
            decideShadowed(pdp, "surveillance");
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (shadowRecords().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        Path segment;
        try (Stream<Path> files = Files.list(auditDir)) {
            segment = files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList().get(0);
        }
        String text = Files.readString(segment);
        assertTrue(text.contains("\"active_allow\":false"), text);
        Files.writeString(segment, text.replace("\"active_allow\":false", "\"active_allow\":true "));

        ReplayEndToEndTest.Run verify = ReplayEndToEndTest.pdp("audit", "verify", auditDir.toString());
        assertEquals(1, verify.exit(), verify.out() + verify.err());
    }

    @Test
    void stoppingEndsTheShadow() throws Exception {
        try (RunningPdp pdp = start()) {
            String opening = storeOpening(pdp);
            assertEquals(0, admin(pdp, "bundle", "shadow", opening).exit());

            ReplayEndToEndTest.Run stop = admin(pdp, "bundle", "shadow", "--stop");

            assertEquals(0, stop.exit(), stop.err());
            assertEquals(opening, stop.json().path("bundle").path("digest").asText());
            ReplayEndToEndTest.Run report = admin(pdp, "bundle", "shadow-report");
            assertEquals(1, report.exit());
            assertTrue(report.err().contains("NOT_FOUND"), report.err());
            assertFalse(decide(pdp, "surveillance").getAllow());
        }
        assertEquals(List.of(), shadowRecords());
    }

    @Test
    void activatingTheShadowedBundleEndsTheShadow() throws Exception {
        try (RunningPdp pdp = start()) {
            String opening = storeOpening(pdp);
            assertEquals(0, admin(pdp, "bundle", "shadow", opening).exit());

            ReplayEndToEndTest.Run activate = admin(pdp, "bundle", "activate", opening);

            assertEquals(0, activate.exit(), activate.err());
            assertEquals(1, admin(pdp, "bundle", "shadow-report").exit());
            assertTrue(decide(pdp, "surveillance").getAllow());
        }
        assertFalse(Files.exists(dataDir.resolve("shadow.json")));
    }

    @Test
    void theShadowSurvivesARestart() throws Exception {
        String opening;
        String startedAt;
        try (RunningPdp pdp = start()) {
            opening = storeOpening(pdp);
            assertEquals(0, admin(pdp, "bundle", "shadow", opening).exit());
            startedAt = report(pdp).path("started_at").asText();
        }
        try (RunningPdp again = start()) {
            JsonNode report = report(again);
            assertEquals(opening, report.path("bundle").path("digest").asText());
            assertEquals(startedAt, report.path("started_at").asText());

            String id = decideShadowed(again, "surveillance").getDecisionId();

            assertEquals(List.of(id), JSON.convertValue(report(again).path("report").path("changes")
                    .path("deny_to_allow").path("examples"), List.class));
        }
    }

    @Test
    void aReaderTokenMayReadTheReportButNotStartOrStopAShadow() throws Exception {
        try (RunningPdp pdp = start()) {
            String opening = storeOpening(pdp);
            String reader = "--token=" + READER_TOKEN;
            String address = "127.0.0.1:" + pdp.server.adminPort();

            ReplayEndToEndTest.Run start = ReplayEndToEndTest.pdp("bundle", "shadow", opening, "--address", address,
                    reader);
            assertEquals(1, start.exit());
            assertTrue(start.err().contains("PERMISSION_DENIED"), start.err());

            assertEquals(0, admin(pdp, "bundle", "shadow", opening).exit());
            ReplayEndToEndTest.Run report = ReplayEndToEndTest.pdp("bundle", "shadow-report", "--address", address,
                    reader);
            assertEquals(0, report.exit(), report.err());
            ReplayEndToEndTest.Run stop = ReplayEndToEndTest.pdp("bundle", "shadow", "--stop", "--address", address,
                    reader);
            assertTrue(stop.err().contains("PERMISSION_DENIED"), stop.err());
        }
    }
}
