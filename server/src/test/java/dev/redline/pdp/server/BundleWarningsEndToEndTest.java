package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.AdminCalls;
import dev.redline.pdp.server.harness.OpaBundles;
import dev.redline.pdp.server.harness.RunningPdp;
import dev.redline.pdp.server.harness.TestArchives;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.PushBundleResponse;
import dev.redline.pdp.server.bundle.BuiltInBundle;
import dev.redline.pdp.server.config.PdpConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bundles that can never decide are accepted, as OPA accepts them, and the push answer and the
 * status say why, over real gRPC with bundles the real opa CLI built.
 */
class BundleWarningsEndToEndTest {
    @TempDir
    static Path bundles;

    private static Path withoutDefaultEntrypoint;
    private static Path contractRulesWithoutData;
    private static Path decidesOnlyForX;

    @TempDir
    Path dataDir;

    private RunningPdp pdp;
    private AdminCalls admin;

    @BeforeAll
    static void buildBundles() throws Exception {
        withoutDefaultEntrypoint = OpaBundles.build(Files.createDirectories(bundles.resolve("rev")),
                Map.of("rev.rego", "package rev\n\ndecision := {\"allow\": true}\n"), "rev/decision");
        contractRulesWithoutData = OpaBundles.build(Files.createDirectories(bundles.resolve("contract")),
                Map.of("c.rego", "package contract\n\ndefault listed := 0\n\nlisted := count(data.contract.prohibited_platforms)\n\n"
                        + "decision := {\"allow\": false, \"listed\": listed}\n"), "contract/decision");
        decidesOnlyForX = OpaBundles.build(Files.createDirectories(bundles.resolve("x")),
                Map.of("c.rego", "package contract\n\ndecision := {\"allow\": false} if input.x == 1\n",
                        "data.json", Files.readString(Path.of("..", "policies", "src", "data.json"))),
                "contract/decision");
    }

    @BeforeEach
    void start() throws Exception {
        pdp = RunningPdp.start(PdpConfig.defaults().withDataDir(dataDir));
        admin = AdminCalls.forPdp(pdp.server, dataDir);
    }

    @AfterEach
    void stop() throws Exception {
        admin.close();
        pdp.close();
    }

    private static boolean anyContains(List<String> warnings, String part) {
        return warnings.stream().anyMatch(w -> w.contains(part));
    }

    @Test
    void theBuiltInBundleHasNoWarnings() throws Exception {
        assertEquals(List.of(), admin.status().getWarningsList());

        PushBundleResponse pushed = admin.push(BuiltInBundle.NAME, BuiltInBundle.archive(), false);

        assertEquals(List.of(), pushed.getWarningsList());
    }

    @Test
    void aBundleWithoutTheDefaultEntrypointIsAcceptedWithAWarning() throws Exception {
        PushBundleResponse pushed = admin.push(withoutDefaultEntrypoint, true);

        assertTrue(pushed.getActivated());
        assertTrue(anyContains(pushed.getWarningsList(), "does not export the default entrypoint contract/decision"),
                pushed.getWarningsList().toString());
        assertEquals(pushed.getWarningsList(), admin.status().getWarningsList());
        assertTrue(pdp.decisions().decide(DecideRequest.newBuilder().setPath("rev/decision")
                .setInput(Struct.getDefaultInstance()).build()).getAllow());
    }

    @Test
    void contractRulesWithoutDataContractAreAcceptedWithAWarning() throws Exception {
        PushBundleResponse pushed = admin.push(contractRulesWithoutData, true);

        assertTrue(pushed.getActivated());
        assertTrue(anyContains(pushed.getWarningsList(), "its data has no object data.contract"),
                pushed.getWarningsList().toString());
        assertEquals(pushed.getWarningsList(), admin.status().getWarningsList());
    }

    @Test
    void aStoredButInactiveBundleIsWarnedAboutInThePushAnswerOnly() throws Exception {
        PushBundleResponse pushed = admin.push(contractRulesWithoutData, false);

        assertFalse(pushed.getActivated());
        assertTrue(anyContains(pushed.getWarningsList(), "data.contract"), pushed.getWarningsList().toString());
        assertEquals(List.of(), admin.status().getWarningsList());
    }

    @Test
    void aDefaultEntrypointUndefinedOnTheEmptyInputIsWarnedAbout() throws Exception {
        PushBundleResponse pushed = admin.push(decidesOnlyForX, true);

        assertEquals(1, pushed.getWarningsCount(), pushed.getWarningsList().toString());
        assertTrue(pushed.getWarnings(0).contains("answered undefined on every representative input"),
                pushed.getWarnings(0));
    }

    @Test
    void aWarmupInputOnWhichTheDefaultEntrypointDecidesClearsThatWarning() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>(TestArchives.read(Files.readAllBytes(decidesOnlyForX)));
        files.put("warmup/other.json", TestArchives.utf8("{\"x\": 2}"));
        files.put("warmup/x.json", TestArchives.utf8("{\"x\": 1}"));

        PushBundleResponse pushed = admin.push("with-warmup.tar.gz", TestArchives.of(files), true);

        assertEquals(List.of(), pushed.getWarningsList());
    }
}
