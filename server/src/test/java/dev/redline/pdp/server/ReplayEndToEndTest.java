package dev.redline.pdp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.server.cli.PdpCommand;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.harness.SecretFile;
import dev.redline.pdp.server.harness.OpaBundles;
import dev.redline.pdp.server.harness.RunningPdp;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code pdp replay} as an operator runs it: a real PDP decides over gRPC and logs to a real
 * hash-chained log; candidates built by the pinned opa are replayed on that log while the PDP runs,
 * read from its directory and through its admin API.
 */
class ReplayEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READER_TOKEN = "auditor-token-0123456789abcdef";

    /** Denies weapons and surveillance uses; research is allowed with a review obligation. */
    static final String BASE = """
            package redline

            violations contains v if {
            	input.use == "weapons"
            	v := {"code": "WEAPONS", "clause": "c1", "message": "weapons"}
            }

            violations contains v if {
            	input.use == "surveillance"
            	v := {"code": "SURVEILLANCE", "clause": "c2", "message": "surveillance"}
            }

            obligations contains o if {
            	input.use == "research"
            	o := {"code": "REVIEW", "message": "review"}
            }
            """;

    static final String DECISION = """

            decision := {
            	"allow": count(violations) == 0,
            	"violations": [v | some v in violations],
            	"obligations": [o | some o in obligations],
            }
            """;

    /** Tightens: medical uses are now denied, and research needs an audit as well as a review. */
    static final String TIGHTER = """

            violations contains v if {
            	input.use == "medical"
            	v := {"code": "MEDICAL", "clause": "c3", "message": "medical"}
            }

            obligations contains o if {
            	input.use == "research"
            	o := {"code": "AUDIT", "message": "audit"}
            }
            """;

    @TempDir
    static Path work;

    static RunningPdp pdp;
    static Path auditDir;
    static Path tighter;
    static Path opening;
    /** decision ids by the use asked about */
    static final Map<String, List<String>> ids = new HashMap<>();

    @BeforeAll
    static void decideAndLog() throws Exception {
        Path base = OpaBundles.buildRevision(Files.createDirectories(work.resolve("base")),
                Map.of("redline.rego", BASE + DECISION), "base", "redline/decision");
        tighter = OpaBundles.buildRevision(Files.createDirectories(work.resolve("tighter")),
                Map.of("redline.rego", BASE + TIGHTER + DECISION), "tighter", "redline/decision");
        // forgets the surveillance red line
        opening = OpaBundles.buildRevision(Files.createDirectories(work.resolve("opening")),
                Map.of("redline.rego", BASE.replace("input.use == \"surveillance\"", "input.use == \"never\"")
                        + DECISION), "opening", "redline/decision");
        Path tokens = work.resolve("admin.tokens");
        SecretFile.write(tokens, "ops admin ops-token-0123456789abcdef\nauditor reader " + READER_TOKEN + "\n");
        auditDir = work.resolve("audit");
        PdpConfig config = PdpConfig.defaults().withBundle(base).withAdminTokens(tokens);
        pdp = RunningPdp.start(config.withAudit(config.audit().withDir(auditDir).withMask(List.of("/input/secret"))));
        for (String use : List.of("weapons", "weapons", "surveillance", "surveillance", "medical", "medical",
                "research", "research", "chat", "chat", "chat")) {
            ids.computeIfAbsent(use, u -> new ArrayList<>()).add(decide("{\"use\":\"" + use + "\"}"));
        }
        ids.put("masked", List.of(decide("{\"use\":\"surveillance\",\"secret\":\"x\"}")));
    }

    private static String decide(String inputJson) {
        return pdp.decisions().decide(DecideRequest.newBuilder().setPath("redline/decision").setInputJson(inputJson)
                .build()).getDecisionId();
    }

    @AfterAll
    static void stop() {
        if (pdp != null) {
            pdp.close();
        }
    }

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    static Run pdp(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = PdpCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Run replay(Path candidate, String... more) {
        List<String> args = new ArrayList<>(List.of("replay", "--bundle", candidate.toString(), "--audit-dir",
                auditDir.toString(), "--json", "--instances", "2"));
        args.addAll(List.of(more));
        return pdp(args.toArray(String[]::new));
    }

    @Test
    void aCandidateThatOpensARedLineFailsNamingTheDecisionsItWouldAllow() throws Exception {
        Run run = replay(opening);

        assertEquals(1, run.exit(), run.err());
        JsonNode opened = run.json().path("changes").path("deny_to_allow");
        assertEquals(2, opened.path("count").asInt());
        assertEquals(ids.get("surveillance"), JSON.convertValue(opened.path("examples"), List.class));
        assertEquals(2, run.json().path("by_code").path("SURVEILLANCE").path("deny_to_allow").asInt());
        assertTrue(run.json().path("opens_red_line").asBoolean());
        assertTrue(run.err().contains("2 decision(s) logged as deny would be allowed"), run.err());
    }

    @Test
    void allowOpeningAcceptsTheSameCandidate() throws Exception {
        Run run = replay(opening, "--allow-opening");

        assertEquals(0, run.exit(), run.err());
        assertEquals(2, run.json().path("changes").path("deny_to_allow").path("count").asInt());
    }

    @Test
    void aTighteningCandidatePassesAndReportsEveryChangeByKindAndCode() throws Exception {
        Run run = replay(tighter);

        assertEquals(0, run.exit(), run.err());
        JsonNode report = run.json();
        assertEquals(11, report.path("evaluated").asInt());
        assertEquals(7, report.path("same").asInt());
        assertEquals(4, report.path("changed").asInt());
        assertEquals(ids.get("medical"), JSON.convertValue(
                report.path("changes").path("allow_to_deny").path("examples"), List.class));
        assertEquals(2, report.path("changes").path("obligations_changed").path("count").asInt());
        assertEquals(0, report.path("changes").path("deny_to_allow").path("count").asInt());
        assertEquals(2, report.path("by_code").path("MEDICAL").path("allow_to_deny").asInt());
        assertEquals(2, report.path("by_code").path("AUDIT").path("obligations_changed").asInt());
        assertEquals("tighter", report.path("candidate").path("revision").asText());
    }

    @Test
    void aMaskedRecordIsSkippedAndCountedNeverEvaluated() throws Exception {
        JsonNode report = replay(opening).json();

        assertEquals(1, report.path("skipped").path("masked").asInt());
        // the masked request asked about surveillance too: evaluated without its secret it would open
        assertEquals(2, report.path("changes").path("deny_to_allow").path("count").asInt());
    }

    @Test
    void theAdminApiWithAReaderTokenGivesTheSameReport() throws Exception {
        Run fromDir = replay(tighter);
        Run fromApi = pdp("replay", "--bundle", tighter.toString(), "--json", "--instances", "2",
                "--address", "127.0.0.1:" + pdp.server.adminPort(), "--token", READER_TOKEN);

        assertEquals(0, fromApi.exit(), fromApi.err());
        assertEquals(fromDir.json(), fromApi.json());
    }

    @Test
    void pathAndLimitSelectWhatIsReplayed() throws Exception {
        assertEquals(0, replay(opening, "--path", "other/decision").json().path("evaluated").asInt());
        // the newest three: two chats and the masked request, which counts though it is skipped
        JsonNode newest = replay(tighter, "--limit", "3").json();
        assertEquals(2, newest.path("evaluated").asInt());
        assertEquals(1, newest.path("skipped").path("masked").asInt());
    }

    @Test
    void aCandidateAPushWouldRefuseIsRefusedTheSameWay() throws Exception {
        Path notABundle = Files.writeString(work.resolve("not-a-bundle.tar.gz"), "not gzip");

        Run run = replay(notABundle);

        assertEquals(2, run.exit());
        assertTrue(run.err().contains("bundle not-a-bundle.tar.gz refused:"), run.err());
    }

    @Test
    void aLogThatDoesNotVerifyIsRefusedUnlessUnverifiedIsGiven(@TempDir Path copy) throws Exception {
        try (Stream<Path> files = Files.list(auditDir)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        Path segment;
        try (Stream<Path> files = Files.list(copy)) {
            segment = files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().findFirst().orElseThrow();
        }
        String log = Files.readString(segment, StandardCharsets.UTF_8);
        Files.writeString(segment, log.replaceFirst("\"use\":\"chat\"", "\"use\":\"chit\""), StandardCharsets.UTF_8);
        List<String> args = List.of("replay", "--bundle", tighter.toString(), "--audit-dir", copy.toString(), "--json");

        Run refused = pdp(args.toArray(String[]::new));
        List<String> anyway = new ArrayList<>(args);
        anyway.add("--unverified");
        Run unverified = pdp(anyway.toArray(String[]::new));

        assertEquals(2, refused.exit());
        assertTrue(refused.err().contains("does not verify"), refused.err());
        assertEquals(0, unverified.exit(), unverified.err());
        assertEquals(11, unverified.json().path("evaluated").asInt());
    }

    @Test
    void theHtmlReportIsOnePageWithChartsByCodeAndByDay() throws Exception {
        // kept in target/ to be opened in a browser after the build
        Path html = Files.createDirectories(Path.of("target")).resolve("replay-report.html");

        replay(opening, "--html", html.toString());

        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertTrue(page.contains("aria-label=\"changes by code\""), page);
        assertTrue(page.contains("aria-label=\"changes by day\""), page);
        assertTrue(page.contains("SURVEILLANCE"), page);
        assertTrue(!page.contains("src=") && !page.contains("<link"), "nothing is fetched: " + page);
    }
}
