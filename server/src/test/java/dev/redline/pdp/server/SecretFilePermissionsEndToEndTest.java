package dev.redline.pdp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.harness.ChildPdp;
import dev.redline.pdp.server.harness.RunningPdp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whoever reads the admin tokens file administers the PDP; whoever reads the decision-log key (and
 * can write the log) forges sealed segments. A start with either readable by group or others is
 * refused, naming the file, who may read it and how to proceed, unless allow-readable-secrets
 * accepts the risk, and then the start says so.
 */
class SecretFilePermissionsEndToEndTest {
    @TempDir
    Path work;

    private Path dataDir() {
        return work.resolve("data");
    }

    private Path readableAdminTokens() throws Exception {
        Files.createDirectories(dataDir());
        Path tokens = Files.writeString(dataDir().resolve("admin.tokens"), "ops admin " + "ab".repeat(16) + "\n");
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-r--r--"));
        return tokens;
    }

    @Test
    void aStartWithAnAdminTokensFileReadableByOthersIsRefusedNamingTheFileAndTheFlag() throws Exception {
        Path tokens = readableAdminTokens();

        PdpServer.StartupException refused = assertThrows(PdpServer.StartupException.class,
                () -> RunningPdp.start(PdpConfig.defaults().withDataDir(dataDir())).close());

        assertEquals("the admin tokens file " + tokens + " is readable by its group and others (mode rw-r--r--); a"
                + " secret must be readable by its owner alone: run chmod 600 " + tokens + ", or start with"
                + " --allow-readable-secrets (config allow-readable-secrets: true) to accept the risk", refused.getMessage());
    }

    @Test
    void aStartWithADecisionLogKeyReadableByItsGroupIsRefused() throws Exception {
        Path key = Files.writeString(work.resolve("audit.key"), "cd".repeat(32) + "\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        PdpConfig config = PdpConfig.defaults().withDataDir(dataDir())
                .withAudit(PdpConfig.defaults().audit().withKeyFile(key));

        PdpServer.StartupException refused = assertThrows(PdpServer.StartupException.class,
                () -> RunningPdp.start(config).close());

        assertTrue(refused.getMessage().startsWith("the decision-log key " + key + " is readable by its group (mode"
                + " rw-r-----)"), refused.getMessage());
    }

    @Test
    void aStartThatAllowsReadableSecretsServesAndWarnsAtStart() throws Exception {
        Path tokens = readableAdminTokens();

        try (ChildPdp pdp = ChildPdp.start(dataDir(), "--allow-readable-secrets")) {
            JsonNode warning = pdp.linesBeforeStart.stream()
                    .filter(line -> line.path("msg").asText().equals("a secret file is readable by others"))
                    .findFirst().orElseThrow(() -> new AssertionError("no warning in " + pdp.linesBeforeStart));

            assertEquals("warn", warning.path("level").asText());
            assertTrue(warning.path("warning").asText().startsWith("the admin tokens file " + tokens.toAbsolutePath()
                    + " is readable by its group and others"), warning.toString());
        }
    }
}
