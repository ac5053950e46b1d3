package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.ChildPdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pdp serve} says which JDK runs it, and will not serve on one exposed to JDK-8376400. */
class PdpServeJdkEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void theServingLineNamesTheJdkAndWhatWasCheckedAboutIt() throws Exception {
        try (ChildPdp pdp = ChildPdp.start(dataDir)) {
            JsonNode jdk = pdp.startLine.path("jdk");
            assertEquals(Runtime.version().toString(), jdk.path("version").asText(), pdp.startLine.toString());
            assertEquals(System.getProperty("java.vendor"), jdk.path("vendor").asText());
            assertEquals("not exposed to JDK-8376400 (JDK 21+)", jdk.path("jit").asText());
        }
    }

    @Test
    void pdpServeRefusesToStartOnAnInstalledJdk17() throws Exception {
        Optional<Path> jdk17 = installedJdk("17");
        assumeTrue(jdk17.isPresent(), "no JDK 17 under /usr/lib/jvm to try");
        Process process = new ProcessBuilder(jdk17.get().resolve("bin/java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.redline.pdp.server.cli.PdpCommand", "serve",
                "--port", "0", "--admin-port", "0", "--instances", "1", "--data-dir", dataDir.toString())
                .redirectErrorStream(true)
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("pdp serve on JDK 17 neither refused nor exited in 60 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, process.exitValue(), output);
        JsonNode line = JSON.readTree(output.lines().filter(l -> l.contains("pdp failed to start")).findFirst()
                .orElseThrow(() -> new AssertionError("no start-up failure line in:\n" + output)));
        assertTrue(line.path("jdk").asText().startsWith("17"), line.toString());
        assertTrue(line.path("error").asText().contains("JDK-8376400"), line.toString());
        assertTrue(line.path("error").asText().contains("Run it on JDK 21 or later"), line.toString());
        assertFalse(output.contains("pdp serving"), output);
    }

    /** A JDK of this feature release under /usr/lib/jvm, read from its {@code release} file. */
    private static Optional<Path> installedJdk(String feature) throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> javaVersion(home).map(v -> v.equals(feature) || v.startsWith(feature + "."))
                            .orElse(false))
                    .sorted()
                    .findFirst();
        }
    }

    private static Optional<String> javaVersion(Path home) {
        try {
            List<String> release = Files.readAllLines(home.resolve("release"));
            return release.stream().filter(l -> l.startsWith("JAVA_VERSION="))
                    .map(l -> l.substring("JAVA_VERSION=".length()).replace("\"", "")).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
