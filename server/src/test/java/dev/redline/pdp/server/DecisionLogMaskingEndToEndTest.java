package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.OpaBundles;
import dev.redline.pdp.server.harness.RunningPdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.DecisionRecord;
import dev.redline.pdp.api.v1.GetDecisionRequest;
import dev.redline.pdp.api.v1.ListDecisionsRequest;
import dev.redline.pdp.server.config.PdpConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sensitive input is removed or replaced before a decision is logged — as configured, and as the
 * bundle's {@code system/log/mask} policy says — and each record lists what was masked. Only the
 * logged copy is masked: the caller's answer is untouched.
 */
class DecisionLogMaskingEndToEndTest {
    private static final String PROBE = """
            package probe

            default seen := ""

            seen := input.subject.name

            decision := {"allow": true, "seen": seen}
            """;

    /** OPA-style decision-log masking: pointers to remove, and an upsert that replaces a value. */
    private static final String MASK = """
            package system.log

            mask contains "/input/subject/id"

            mask contains {"op": "upsert", "path": "/input/subject/name", "value": "**redacted**"} if {
            \tinput.input.subject.name
            }

            mask contains "/result/seen"
            """;

    /** Two values for one complete rule when asked to explode: the policy fails at run time. */
    private static final String BROKEN_MASK = """
            package system.log

            mask := ["/input/subject/id"] if input.input.explode

            mask := ["/input/subject/name"] if input.input.explode
            """;

    @TempDir
    static Path bundles;

    @TempDir
    Path auditDir;

    private static Path maskingBundle;
    private static Path brokenMaskBundle;
    private RunningPdp pdp;

    @BeforeAll
    static void buildBundles() throws Exception {
        maskingBundle = OpaBundles.build(bundles.resolve("masking"), Map.of("probe.rego", PROBE, "mask.rego", MASK),
                "probe/decision", "system/log/mask");
        brokenMaskBundle = OpaBundles.build(bundles.resolve("broken"),
                Map.of("probe.rego", PROBE, "mask.rego", BROKEN_MASK), "probe/decision", "system/log/mask");
    }

    @AfterEach
    void stop() throws Exception {
        if (pdp != null) {
            pdp.close();
        }
    }

    private RunningPdp start(PdpConfig config) throws Exception {
        pdp = RunningPdp.start(config.withAudit(config.audit().withDir(auditDir)));
        return pdp;
    }

    private DecisionRecord decideAndRead(String path, Struct input) {
        DecideResponse response = pdp.decisions().decide(DecideRequest.newBuilder().setPath(path).setInput(input).build());
        return pdp.audit().getDecision(GetDecisionRequest.newBuilder().setDecisionId(response.getDecisionId()).build());
    }

    @Test
    void configuredPointersAreRemovedFromTheLoggedInputAndListed() throws Exception {
        start(PdpConfig.defaults().withAudit(PdpConfig.defaults().audit()
                .withMask(List.of("/input/subject/id", "/input/context/purpose", "/input/not/there"))));
        Struct input = ContractCase.named("allowed-logistics").input();

        DecisionRecord record = decideAndRead("", input);

        assertEquals(List.of("/input/subject/id", "/input/context/purpose"), record.getMaskedList());
        Struct subject = record.getInput().getFieldsOrThrow("subject").getStructValue();
        assertFalse(subject.containsFields("id"));
        assertEquals("customer", subject.getFieldsOrThrow("org").getStringValue());
        assertFalse(record.getInput().getFieldsOrThrow("context").getStructValue().containsFields("purpose"));
        assertTrue(record.getAllow());
    }

    @Test
    void aConfiguredResultPointerMasksTheLoggedResultNotTheAnswer() throws Exception {
        start(PdpConfig.defaults().withAudit(PdpConfig.defaults().audit().withMask(List.of("/result/obligations"))));
        Struct input = ContractCase.named("allowed-logistics").input();
        DecideResponse response = pdp.decisions().decide(DecideRequest.newBuilder().setInput(input).build());

        DecisionRecord record = pdp.audit().getDecision(GetDecisionRequest.newBuilder()
                .setDecisionId(response.getDecisionId()).build());

        assertTrue(response.getResult().getStructValue().containsFields("obligations"));
        assertFalse(record.getResult().getStructValue().containsFields("obligations"));
        assertEquals(List.of("/result/obligations"), record.getMaskedList());
    }

    @Test
    void theBundlesMaskPolicyRemovesAndReplacesWhatItNames() throws Exception {
        start(PdpConfig.defaults().withBundle(maskingBundle));

        DecisionRecord record = decideAndRead("probe/decision",
                ContractCase.struct("{\"subject\": {\"id\": \"analyst-17\", \"name\": \"Jane Doe\", \"org\": \"customer\"}}"));

        assertEquals(ContractCase.struct("{\"subject\": {\"name\": \"**redacted**\", \"org\": \"customer\"}}"),
                record.getInput());
        assertEquals(List.of("/input/subject/id", "/input/subject/name", "/result/seen"),
                record.getMaskedList().stream().sorted().toList());
        assertFalse(record.getResult().getStructValue().containsFields("seen"));
        assertEquals("", record.getMaskError());
    }

    @Test
    void theCallerStillGetsTheUnmaskedResult() throws Exception {
        start(PdpConfig.defaults().withBundle(maskingBundle));

        DecideResponse response = pdp.decisions().decide(DecideRequest.newBuilder().setPath("probe/decision")
                .setInput(ContractCase.struct("{\"subject\": {\"name\": \"Jane Doe\"}}")).build());

        assertEquals("Jane Doe", response.getResult().getStructValue().getFieldsOrThrow("seen").getStringValue());
    }

    @Test
    void aFailingMaskPolicyMasksTheWholeInputAndResultAndSaysWhy() throws Exception {
        start(PdpConfig.defaults().withBundle(brokenMaskBundle));

        DecisionRecord record = decideAndRead("probe/decision",
                ContractCase.struct("{\"explode\": true, \"subject\": {\"id\": \"analyst-17\", \"name\": \"Jane Doe\"}}"));

        assertFalse(record.hasInput());
        assertFalse(record.hasResult(), "the result echoes the input (seen: Jane Doe)");
        assertEquals(List.of("/input", "/result"), record.getMaskedList());
        assertTrue(record.getMaskError().startsWith("the mask policy system/log/mask failed: policy aborted"),
                record.getMaskError());
        assertTrue(record.getAllow());
        String onDisk = Files.readString(auditDir.resolve("00000001.jsonl"));
        assertFalse(onDisk.contains("Jane Doe"), onDisk);
        assertFalse(onDisk.contains("analyst-17"), onDisk);
    }

    @Test
    void whenTheMaskPolicyFailsTheConfiguredPointersAreStillAppliedAndListedFirst() throws Exception {
        start(PdpConfig.defaults().withBundle(brokenMaskBundle).withAudit(PdpConfig.defaults().audit()
                .withMask(List.of("/input/subject/id", "/result/seen"))));

        DecisionRecord record = decideAndRead("probe/decision",
                ContractCase.struct("{\"explode\": true, \"subject\": {\"id\": \"analyst-17\", \"name\": \"Jane Doe\"}}"));

        assertEquals(List.of("/input/subject/id", "/result/seen", "/input", "/result"), record.getMaskedList());
        assertFalse(record.hasInput());
        assertFalse(record.hasResult());
        assertTrue(record.getMaskError().startsWith("the mask policy system/log/mask failed: policy aborted"),
                record.getMaskError());
    }

    @Test
    void anUndefinedMaskPolicyMasksNothing() throws Exception {
        start(PdpConfig.defaults().withBundle(brokenMaskBundle));

        DecisionRecord record = decideAndRead("probe/decision", ContractCase.struct("{\"subject\": {\"id\": \"analyst-17\"}}"));

        assertEquals(List.of(), record.getMaskedList());
        assertEquals(ContractCase.struct("{\"subject\": {\"id\": \"analyst-17\"}}"), record.getInput());
    }

    @Test
    void aMaskedSubjectIdMatchesNoSubjectFilter() throws Exception {
        start(PdpConfig.defaults().withAudit(PdpConfig.defaults().audit().withMask(List.of("/input/subject/id"))));
        pdp.decisions().decide(DecideRequest.newBuilder().setInput(ContractCase.named("allowed-logistics").input()).build());

        List<DecisionRecord> found = new java.util.ArrayList<>();
        pdp.audit().listDecisions(ListDecisionsRequest.newBuilder().setSubjectId("analyst-17").build())
                .forEachRemaining(found::add);

        assertEquals(List.of(), found);
    }
}
