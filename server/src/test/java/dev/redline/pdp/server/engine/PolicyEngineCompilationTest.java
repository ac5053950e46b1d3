package dev.redline.pdp.server.engine;

import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.harness.OpaBundles;
import dev.redline.pdp.server.bundle.BuiltInBundle;
import dev.redline.pdp.server.bundle.Bundle;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every instance of a revision runs one compilation of its policy.wasm, and activating it again reuses it. */
class PolicyEngineCompilationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BundleReader reader = new BundleReader(JSON, BundleLimits.defaults(), SignaturePolicy.none());
    private PolicyEngine engine;
    private Bundle contract;

    @BeforeEach
    void startEngine() throws Exception {
        EngineLimits defaults = EngineLimits.defaults();
        engine = new PolicyEngine(new EngineLimits(3, defaults.evalTimeout(), defaults.queueTimeout(),
                defaults.maxInputBytes(), defaults.maxMemoryBytes()), JSON);
        contract = reader.read(BuiltInBundle.NAME, BuiltInBundle.archive());
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    @Test
    void everyInstanceOfARevisionRunsTheSameGeneratedClasses() throws Exception {
        LoadedPolicy loaded = engine.prepare(contract);

        InstancePool.PooledInstance[] instances = new InstancePool.PooledInstance[3];
        for (int i = 0; i < instances.length; i++) {
            instances[i] = loaded.pool().acquire(0);
        }

        assertSame(instances[0].policy().machine().getClass(), instances[1].policy().machine().getClass());
        assertSame(instances[0].policy().machine().getClass(), instances[2].policy().machine().getClass());
        loaded.close();
    }

    @Test
    void rollingBackToARevisionReusesItsCompilation(@TempDir Path dir) throws Exception {
        LoadedPolicy first = engine.prepare(contract);
        engine.activate(first);
        Path archive = OpaBundles.build(dir, Map.of("other.rego", "package other\nallow := true\n"), "other/allow");
        engine.activate(reader.read("other", Files.readAllBytes(archive)));

        LoadedPolicy again = engine.prepare(reader.read(BuiltInBundle.NAME, BuiltInBundle.archive()));

        assertSame(first.compiled(), again.compiled());
        again.close();
    }
}
