package dev.redline.pdp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.bundle.BuiltInBundle;
import dev.redline.pdp.server.bundle.Bundle;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.engine.EngineLimits;
import dev.redline.pdp.server.engine.PolicyEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The bundle packaged in the server is the one built from policies/ in this same build. */
class BuiltInBundleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Bundle builtIn() throws Exception {
        return new BundleReader(JSON, BundleLimits.defaults(), dev.redline.pdp.server.bundle.SignaturePolicy.none()).read(BuiltInBundle.NAME, BuiltInBundle.archive());
    }

    @Test
    void revisionIsTheDigestOfTheCurrentPolicySources() throws Exception {
        Path sources = Path.of(System.getProperty("pdp.policies.src"));

        assertEquals(sourceDigest(sources), builtIn().revision());
    }

    @Test
    void declaresTheContractEntrypoint() throws Exception {
        assertEquals(List.of("contract/decision"), builtIn().manifest().wasmEntrypoints());
        assertEquals(List.of("contract"), builtIn().manifest().roots());
    }

    @Test
    void loadsInTheEngineWithWasmAbi13AndNoHostBuiltins() throws Exception {
        try (PolicyEngine engine = new PolicyEngine(EngineLimits.defaults(), JSON)) {
            engine.activate(builtIn()); // throws PolicyLoadException naming the ABI or builtin otherwise
            assertEquals(builtIn().digest(), engine.activeBundle().orElseThrow().digest());
        }
    }

    /**
     * The same digest policies/build.sh computes: sha256 over the `sha256sum` listing of every
     * source file (except .manifest), sorted by path.
     */
    private static String sourceDigest(Path root) throws Exception {
        StringBuilder listing = new StringBuilder();
        try (Stream<Path> files = Files.walk(root)) {
            List<String> paths = files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().equals(".manifest"))
                    .map(f -> "./" + root.relativize(f).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
            for (String path : paths) {
                listing.append(sha256(Files.readAllBytes(root.resolve(path.substring(2))))).append("  ").append(path).append('\n');
            }
        }
        return "sha256:" + sha256(listing.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
