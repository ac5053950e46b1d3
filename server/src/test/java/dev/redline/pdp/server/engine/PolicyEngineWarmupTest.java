package dev.redline.pdp.server.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.bundle.BuiltInBundle;
import dev.redline.pdp.server.bundle.Bundle;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A revision is warmed up on its bundle's warm-up inputs when it is prepared, before it decides. */
class PolicyEngineWarmupTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PolicyEngine engineWithWarmup(int instances, Duration warmupTimeout) {
        EngineLimits d = EngineLimits.defaults();
        return new PolicyEngine(new EngineLimits(instances, d.evalTimeout(), d.queueTimeout(), d.maxInputBytes(),
                d.maxMemoryBytes(), warmupTimeout), JSON);
    }

    private static Bundle contract() throws Exception {
        return new BundleReader(JSON, BundleLimits.defaults(), SignaturePolicy.none())
                .read(BuiltInBundle.NAME, BuiltInBundle.archive());
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
