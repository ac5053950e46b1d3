package dev.redline.pdp.server.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.bundle.Bundle;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import dev.redline.pdp.server.harness.OpaBundles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Asking again about a logged decision evaluates with the time.now_ns that decision read. */
class RecordedClockTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DECIDED_AT = 1_700_000_000_123_456_789L;
    private static final byte[] INPUT = "{}".getBytes(StandardCharsets.UTF_8);

    private static LoadedPolicy clockPolicy(PolicyEngine engine, Path dir) throws Exception {
        Bundle bundle = new BundleReader(JSON, BundleLimits.defaults(), SignaturePolicy.none()).read("clock",
                Files.readAllBytes(OpaBundles.build(dir, Map.of("clock.rego",
                        "package clock\n\nnow := time.now_ns()\n"), "clock/now")));
        return engine.prepare(bundle);
    }

    private static PolicyEngine engine() {
        EngineLimits d = EngineLimits.defaults();
        return new PolicyEngine(new EngineLimits(1, d.evalTimeout(), d.queueTimeout(), d.maxInputBytes(),
                d.maxMemoryBytes(), Duration.ZERO), JSON);
    }

    private static long deadline() {
        return System.nanoTime() + Duration.ofSeconds(10).toNanos();
    }

    @Test
    void aGivenClockIsTheTimeThePolicyReadsAndReports(@TempDir Path dir) throws Exception {
        try (PolicyEngine engine = engine(); LoadedPolicy policy = clockPolicy(engine, dir)) {
            Evaluation again = engine.evaluateOn(policy, "clock/now", INPUT, INPUT.length, deadline(),
                    OptionalLong.of(DECIDED_AT));

            assertEquals("[{\"result\":" + DECIDED_AT + "}]", new String(again.resultSet(), StandardCharsets.UTF_8));
            assertEquals(OptionalLong.of(DECIDED_AT), again.nowNanos());
        }
    }

    @Test
    void withoutAGivenClockThePolicyReadsTodaysTime(@TempDir Path dir) throws Exception {
        try (PolicyEngine engine = engine(); LoadedPolicy policy = clockPolicy(engine, dir)) {
            engine.evaluateOn(policy, "clock/now", INPUT, INPUT.length, deadline(), OptionalLong.of(DECIDED_AT));
            Evaluation fresh = engine.evaluateOn(policy, "clock/now", INPUT, INPUT.length, deadline());

            assertNotEquals(OptionalLong.of(DECIDED_AT), fresh.nowNanos());
            assertEquals(true, fresh.nowNanos().getAsLong() > DECIDED_AT);
        }
    }
}
