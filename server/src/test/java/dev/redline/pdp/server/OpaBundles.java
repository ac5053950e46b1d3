package dev.redline.pdp.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds real OPA Wasm bundles for tests with the pinned opa CLI the build installed. */
final class OpaBundles {
    private OpaBundles() {}

    static Path opa() {
        String configured = System.getProperty("pdp.opa.bin");
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return Path.of(configured);
        }
        throw new IllegalStateException("the pinned opa binary is missing (pdp.opa.bin=" + configured
                + "); build the policies module first");
    }

    /** Writes {@code modules} (file name → Rego) to {@code dir} and builds them for the entrypoints. */
    static Path build(Path dir, Map<String, String> modules, String... entrypoints)
            throws IOException, InterruptedException {
        return buildRevision(dir, modules, "test-" + String.join("+", entrypoints), entrypoints);
    }

    /** As {@link #build}, with the manifest revision given. */
    static Path buildRevision(Path dir, Map<String, String> modules, String revision, String... entrypoints)
            throws IOException, InterruptedException {
        Path src = Files.createDirectories(dir.resolve("src"));
        for (var module : modules.entrySet()) {
            Files.writeString(src.resolve(module.getKey()), module.getValue(), StandardCharsets.UTF_8);
        }
        Path out = dir.resolve("bundle.tar.gz");
        List<String> command = new ArrayList<>(List.of(opa().toString(), "build", "-t", "wasm"));
        for (String entrypoint : entrypoints) {
            command.add("-e");
            command.add(entrypoint);
        }
        command.addAll(List.of("--revision", revision, "-o", out.toString(), src.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("opa build failed: " + output);
        }
        return out;
    }
}
