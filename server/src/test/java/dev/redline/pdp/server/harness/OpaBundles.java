package dev.redline.pdp.server.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds real OPA Wasm bundles for tests with the pinned opa CLI the build used. */
public final class OpaBundles {
    private OpaBundles() {}

    /**
     * The opa binary policies/build.sh resolved (the pinned version from PATH, or the one it
     * built into .tools/), as it recorded in policies/target/opa.path.
     */
    public static Path opa() {
        String recordFile = System.getProperty("pdp.opa.path.file");
        if (recordFile == null) {
            throw new IllegalStateException("system property pdp.opa.path.file is not set; run the tests through Maven");
        }
        Path record = Path.of(recordFile);
        if (!Files.isRegularFile(record)) {
            throw new IllegalStateException(record + " is missing: build the policies module first"
                    + " (mvn -pl server -am test, or policies/build.sh)");
        }
        Path opa;
        try {
            opa = Path.of(Files.readString(record, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Files.isExecutable(opa)) {
            throw new IllegalStateException(record + " names " + opa + ", which is not an executable;"
                    + " rebuild the policies module");
        }
        return opa;
    }

    /** Writes {@code modules} (file name → Rego) to {@code dir} and builds them for the entrypoints. */
    public static Path build(Path dir, Map<String, String> modules, String... entrypoints)
            throws IOException, InterruptedException {
        return buildRevision(dir, modules, "test-" + String.join("+", entrypoints), entrypoints);
    }

    /** As {@link #build}, with the manifest revision given. */
    public static Path buildRevision(Path dir, Map<String, String> modules, String revision, String... entrypoints)
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
