package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.OpaBundles;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.bundle.Bundle;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import dev.redline.pdp.server.decision.MaskAnswer;
import dev.redline.pdp.server.decision.MaskEvaluator;
import dev.redline.pdp.server.decision.MaskPolicy;
import dev.redline.pdp.server.engine.EngineLimits;
import dev.redline.pdp.server.engine.LoadedPolicy;
import dev.redline.pdp.server.engine.PolicyEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision-log mask is asked of the bundle that made the decision, whichever is active when the
 * decision is recorded. Real bundles built by the opa CLI, on the real engine. (In the root test
 * package for the {@link OpaBundles} helper.)
 */
class MaskEvaluatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBE = "package probe\n\ndecision := {\"allow\": true}\n";
    private static final String MASK = "package system.log\n\nmask contains \"/input/secret\"\n";

    @TempDir
    static Path bundles;

    private static Bundle masking;
    private static Bundle plain;
    private PolicyEngine engine;
    private MaskEvaluator masks;

    @BeforeAll
    static void buildBundles() throws Exception {
        BundleReader reader = new BundleReader(JSON, BundleLimits.defaults(), SignaturePolicy.none());
        masking = reader.read("masking", Files.readAllBytes(OpaBundles.buildRevision(bundles.resolve("masking"),
                Map.of("probe.rego", PROBE, "mask.rego", MASK), "with-mask", "probe/decision", "system/log/mask")));
        plain = reader.read("plain", Files.readAllBytes(OpaBundles.buildRevision(bundles.resolve("plain"),
                Map.of("probe.rego", PROBE), "without-mask", "probe/decision")));
    }

    @BeforeEach
    void startEngine() {
        engine = new PolicyEngine(EngineLimits.defaults(), JSON);
        masks = new MaskEvaluator(engine, JSON);
    }

    @AfterEach
    void stopEngine() {
        engine.close();
    }

    private static JsonNode event() throws Exception {
        return JSON.readTree("{\"decision_id\": \"d-1\", \"input\": {\"secret\": \"s\"}, \"allow\": true}");
    }

    @Test
    void theMaskOfTheBundleThatDecidedAppliesWhileAnotherIsActive() throws Exception {
        LoadedPolicy decidedBy = engine.prepare(masking);
        try {
            engine.activate(plain);

            MaskAnswer answer = masks.of(decidedBy).answer(event());

            assertEquals(MaskAnswer.of(JSON.readTree("[\"/input/secret\"]")), answer);
        } finally {
            decidedBy.close();
        }
    }

    @Test
    void aBundleWithoutAMaskPolicyMasksNothingWhileAMaskingOneIsActive() throws Exception {
        LoadedPolicy decidedBy = engine.prepare(plain);
        try {
            engine.activate(masking);

            assertEquals(MaskPolicy.NONE, masks.of(decidedBy));
        } finally {
            decidedBy.close();
        }
    }

    @Test
    void theMaskFailsWhenTheBundleThatDecidedIsNoLongerLoaded() throws Exception {
        LoadedPolicy decidedBy = engine.prepare(masking);
        engine.activate(decidedBy);
        MaskPolicy mask = masks.of(decidedBy);
        engine.activate(plain); // unloads the bundle that decided

        assertEquals(Optional.of("the mask policy system/log/mask failed: bundle masking (revision with-mask)"
                + " is no longer loaded"), mask.answer(event()).failure());
    }
}
