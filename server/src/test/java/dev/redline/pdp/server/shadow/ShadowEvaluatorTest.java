package dev.redline.pdp.server.shadow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.bundle.BuiltInBundle;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import dev.redline.pdp.server.decision.Decision;
import dev.redline.pdp.server.decision.DecisionShadow;
import dev.redline.pdp.server.decision.PolicyDecider;
import dev.redline.pdp.server.engine.EngineLimits;
import dev.redline.pdp.server.engine.PolicyEngine;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shadow's bounds, on the real engine with the built-in contract bundle shadowing itself. */
class ShadowEvaluatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] INPUT = "{}".getBytes(StandardCharsets.UTF_8);
    private static PolicyEngine engine;
    private static PolicyDecider decider;
    private static Decision decision;

    @BeforeAll
    static void startEngine() throws Exception {
        engine = new PolicyEngine(EngineLimits.defaults(), JSON);
        engine.activate(bundle());
        decider = new PolicyDecider(engine, JSON);
        decision = decider.decide("", "", INPUT, INPUT.length, System.nanoTime() + 10_000_000_000L);
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    private static dev.redline.pdp.server.bundle.Bundle bundle() throws Exception {
        return new BundleReader(JSON, BundleLimits.defaults(), SignaturePolicy.none())
                .read(BuiltInBundle.NAME, BuiltInBundle.archive());
    }

    private static ShadowEvaluator shadowing(double rate, int threads) throws Exception {
        ShadowEvaluator shadow = new ShadowEvaluator(decider, Optional.empty(), rate, threads, Clock.systemUTC(), JSON,
                ShadowEvaluator.Listener.NONE);
        shadow.start(engine.prepare(bundle()), Instant.now());
        return shadow;
    }

    @Test
    void nothingIsTakenWhileNoBundleIsShadowed() {
        try (ShadowEvaluator shadow = new ShadowEvaluator(decider, Optional.empty(), 1, 1, Clock.systemUTC(), JSON,
                ShadowEvaluator.Listener.NONE)) {
            assertNull(shadow.offer(decision, INPUT, INPUT.length));
        }
    }

    @Test
    void aDecisionOfferedWhileEveryShadowThreadIsTakenIsDroppedAndCountedNotQueued() throws Exception {
        try (ShadowEvaluator shadow = shadowing(1, 1)) {
            DecisionShadow.Pending first = shadow.offer(decision, INPUT, INPUT.length);
            assertNotNull(first);

            assertNull(shadow.offer(decision, INPUT, INPUT.length));
            assertEquals(1, shadow.report().orElseThrow().dropped());

            first.cancel();
            assertNotNull(shadow.offer(decision, INPUT, INPUT.length)); // the slot is free again
        }
    }

    @Test
    void aSampleRateOfZeroShadowsNothingAndDropsNothing() throws Exception {
        try (ShadowEvaluator shadow = shadowing(0, 1)) {
            for (int i = 0; i < 100; i++) {
                assertNull(shadow.offer(decision, INPUT, INPUT.length));
            }
            assertEquals(0, shadow.report().orElseThrow().dropped());
        }
    }

    @Test
    void aSampleRateOutsideZeroToOneIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new ShadowEvaluator(
                decider, Optional.empty(), 1.5, 1, Clock.systemUTC(), JSON, ShadowEvaluator.Listener.NONE));
    }
}
