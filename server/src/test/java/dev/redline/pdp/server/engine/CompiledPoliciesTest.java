package dev.redline.pdp.server.engine;

import static org.junit.jupiter.api.Assertions.assertNotSame;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A policy.wasm is compiled once while it is among the few most recently used; then it is dropped. */
class CompiledPoliciesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Bundle contract;
    private static Bundle other;

    @BeforeAll
    static void readTwoPolicies(@TempDir Path dir) throws Exception {
        BundleReader reader = new BundleReader(JSON, BundleLimits.defaults(), SignaturePolicy.none());
        contract = reader.read(BuiltInBundle.NAME, BuiltInBundle.archive());
        Path archive = OpaBundles.build(dir, Map.of("other.rego", "package other\nallow := true\n"), "other/allow");
        other = reader.read("other", Files.readAllBytes(archive));
    }

    @Test
    void aPolicyCompiledBeforeIsReused() throws Exception {
        CompiledPolicies compiled = new CompiledPolicies(2, JSON);

        CompiledPolicy first = compiled.of(contract.policyWasm());
        compiled.of(other.policyWasm());

        assertSame(first, compiled.of(contract.policyWasm().clone()));
    }

    @Test
    void theLeastRecentlyUsedPolicyIsDroppedBeyondTheCapacity() throws Exception {
        CompiledPolicies compiled = new CompiledPolicies(1, JSON);

        CompiledPolicy first = compiled.of(contract.policyWasm());
        compiled.of(other.policyWasm());

        assertNotSame(first, compiled.of(contract.policyWasm()));
    }
}
