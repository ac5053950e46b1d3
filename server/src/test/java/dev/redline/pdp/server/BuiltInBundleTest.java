package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.TestArchives;
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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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

    @Test
    void archiveHoldsEveryRegoModuleOfPoliciesSrcTheDataTheWasmAndTheManifest() throws Exception {
        Path sources = Path.of(System.getProperty("pdp.policies.src"));
        Map<String, byte[]> archive = TestArchives.read(BuiltInBundle.archive());
        Set<String> expected = new TreeSet<>(Set.of("/.manifest", "/data.json", "/policy.wasm"));
        List<Path> modules;
        try (Stream<Path> files = Files.walk(sources)) {
            modules = files.filter(f -> f.toString().endsWith(".rego")).toList();
        }
        modules.forEach(m -> expected.add("/src/" + sources.relativize(m).toString().replace('\\', '/')));

        assertEquals(expected, new TreeSet<>(archive.keySet()));
        for (Path module : modules) {
            // opa stores each module as it parsed it (comments dropped), so compare what it declares.
            String stored = new String(archive.get("/src/" + sources.relativize(module).toString().replace('\\', '/')),
                    StandardCharsets.UTF_8);
            assertEquals(packageLine(Files.readString(module)), packageLine(stored), module.toString());
        }
        assertEquals(JSON.readTree(sources.resolve("data.json").toFile()), JSON.readTree(archive.get("/data.json")));
    }

    private static String packageLine(String rego) {
        return rego.lines().filter(line -> line.startsWith("package ")).findFirst().orElse("(no package)");
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
