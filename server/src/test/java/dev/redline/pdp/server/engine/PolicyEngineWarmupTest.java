package dev.redline.pdp.server.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.bundle.BuiltInBundle;
import dev.redline.pdp.server.bundle.Bundle;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import dev.redline.pdp.server.harness.OpaBundles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A revision is warmed up on its bundle's warm-up inputs when it is prepared, before it decides. */
class PolicyEngineWarmupTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PolicyEngine engineWithWarmup(int instances, Duration warmupTimeout) {
        EngineLimits d = EngineLimits.defaults();
        return new PolicyEngine(new EngineLimits(instances, d.evalTimeout(), d.queueTimeout(), d.maxInputBytes(),
                d.maxMemoryBytes(), warmupTimeout), JSON);
    }

    private static BundleReader reader() {
        return new BundleReader(JSON, BundleLimits.defaults(), SignaturePolicy.none());
    }

    private static Bundle contract() throws Exception {
        return reader().read(BuiltInBundle.NAME, BuiltInBundle.archive());
    }

    @Test
    void everyInstanceEvaluatesEveryWarmupInputBeforeTheRevisionDecides() throws Exception {
        Bundle contract = contract();
        try (PolicyEngine engine = engineWithWarmup(2, Duration.ofSeconds(2))) {
            LoadedPolicy loaded = engine.prepare(contract);

            WarmupReport report = loaded.warmup().orElseThrow();
            // at least one round on the first instance and one on the second
            assertTrue(report.evaluations() >= 2L * contract.warmupInputs().size(), report.toString());
            loaded.close();
        }
    }

    @Test
    void anActivationUnderLoadWarmsTheNewRevisionBeforeTheSwapWhileTheOldOneDecides(@TempDir Path dir)
            throws Exception {
        Bundle next = reader().read("next", Files.readAllBytes(OpaBundles.build(dir,
                Map.of("next.rego", "package contract\ndecision := {\"allowed\": false, \"revision\": \"next\"}\n"),
                "contract/decision")));
        byte[] input = "{}".getBytes(StandardCharsets.UTF_8);
        ExecutorService preparing = Executors.newSingleThreadExecutor();
        try (PolicyEngine engine = engineWithWarmup(2, Duration.ofSeconds(2))) {
            engine.activate(contract());

            Future<LoadedPolicy> prepared = preparing.submit(() -> engine.prepare(next));
            List<String> decidedMeanwhile = new ArrayList<>();
            while (!prepared.isDone()) {
                decidedMeanwhile.add(engine.evaluate("contract/decision", input, input.length,
                        System.nanoTime() + Duration.ofSeconds(10).toNanos()).bundle().name());
            }
            LoadedPolicy warmed = prepared.get();
            engine.activate(warmed);

            assertTrue(warmed.warmup().orElseThrow().evaluations() > 0);
            assertFalse(decidedMeanwhile.isEmpty(), "no decision was asked for while the new revision warmed up");
            assertEquals(List.of(BuiltInBundle.NAME), decidedMeanwhile.stream().distinct().toList());
            assertEquals("next", engine.evaluate("contract/decision", input, input.length,
                    System.nanoTime() + Duration.ofSeconds(10).toNanos()).bundle().name());
        } finally {
            preparing.shutdownNow();
        }
    }

    @Test
    void theWarmupOfTheActiveRevisionIsReported() throws Exception {
        try (PolicyEngine engine = engineWithWarmup(1, Duration.ofSeconds(1))) {
            engine.activate(contract());

            assertTrue(engine.activeWarmup().isPresent());
        }
    }

    @Test
    void aZeroWarmupTimeoutServesTheRevisionCold() throws Exception {
        try (PolicyEngine engine = engineWithWarmup(1, Duration.ZERO)) {
            engine.activate(contract());

            assertEquals(Optional.empty(), engine.activeWarmup());
        }
    }

    @Test
    void validatingABundleDoesNotWarmItUp() throws Exception {
        try (PolicyEngine engine = engineWithWarmup(1, Duration.ofSeconds(30))) {
            engine.validate(contract());

            assertEquals(Optional.empty(), engine.activeWarmup());
        }
    }
}
