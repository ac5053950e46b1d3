package dev.redline.pdp.server.compliance;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The pinned OPA release's Go module, where its compliance cases live, as {@code go mod download} names it. */
final class OpaModule {
    private OpaModule() {}

    static Path dir(String version) throws IOException, InterruptedException {
        if (version == null || version.isBlank()) {
            throw new IllegalStateException("system property pdp.opa.version is not set; run the tests through Maven");
        }
        Process go = new ProcessBuilder("go", "mod", "download", "-json", "github.com/open-policy-agent/opa@" + version)
                .redirectErrorStream(true).start();
        String out = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (go.waitFor() != 0) {
            throw new IllegalStateException("go mod download of github.com/open-policy-agent/opa@" + version
                    + " failed: " + out);
        }
        Path dir = Path.of(new ObjectMapper().readTree(out).path("Dir").asText());
        if (!Files.isDirectory(dir.resolve("v1/test/cases/testdata/v1"))) {
            throw new IllegalStateException(dir + " has no v1/test/cases/testdata/v1");
        }
        return dir;
    }
}
