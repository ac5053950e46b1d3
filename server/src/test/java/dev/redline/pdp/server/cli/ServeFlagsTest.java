package dev.redline.pdp.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.config.PdpConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code pdp serve} flags become the settings they name, over the config file's keys. */
class ServeFlagsTest {
    @TempDir
    Path dir;

    private static ServeCommand parse(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve;
    }

    @Test
    void bundleLimitFlagsSetTheBundleLimits() throws Exception {
        ServeCommand serve = parse("--max-bundle-bytes", "1000", "--max-bundle-expanded-bytes", "4000",
                "--max-bundle-file-bytes", "2000", "--max-bundle-files", "7");

        assertEquals(new BundleLimits(1000, 4000, 2000, 7), serve.resolve().policy().limits());
    }

    @Test
    void aBundleLimitFlagOverridesTheConfigFileAndLeavesTheOthersAsTheFileSetsThem() throws Exception {
        Path config = Files.writeString(dir.resolve("pdp.yaml"), "max-bundle-bytes: 1000\nmax-bundle-files: 7\n");

        ServeCommand serve = parse("--config", config.toString(), "--max-bundle-files", "9");

        assertEquals(new BundleLimits(1000, 256L << 20, 128L << 20, 9), serve.resolve().policy().limits());
    }

    @Test
    void everyFlagNamesAConfigKey() throws Exception {
        ServeCommand serve = parse("--bind", "0.0.0.0", "--port", "9300", "--max-batch", "7", "--no-audit",
                "--verification-key", "ci:HS256:" + Files.writeString(dir.resolve("k"), "an HMAC secret of at least 256 bits, 32 bytes"),
                "--audit-mask", "/input/a", "--audit-mask", "/input/b", "--data-dir", dir.toString());

        PdpConfig resolved = serve.resolve();

        assertEquals("0.0.0.0", resolved.bind());
        assertEquals(9300, resolved.port());
        assertEquals(7, resolved.maxBatchItems());
        assertEquals(false, resolved.audit().enabled());
        assertEquals(java.util.Set.of("ci"), resolved.policy().signatures().keys().keySet());
        assertEquals(java.util.List.of("/input/a", "/input/b"), resolved.audit().mask());
        assertEquals(dir, resolved.policy().dataDir());
    }

    @Test
    void theClientConcurrencyFlagSetsEachClientsShare() throws Exception {
        assertEquals(8, parse("--max-client-concurrency", "8").resolve().maxClientConcurrency());
        assertEquals(0, parse("--max-client-concurrency", "0").resolve().maxClientConcurrency());
    }

    @Test
    void theShutdownGraceFlagOverridesTheConfigFile() throws Exception {
        Path config = Files.writeString(dir.resolve("pdp.yaml"), "shutdown-grace: 20s\n");

        assertEquals(java.time.Duration.ofSeconds(20), parse("--config", config.toString()).resolve().shutdownGrace());
        assertEquals(java.time.Duration.ofMillis(1500), parse("--config", config.toString(), "--shutdown-grace", "1500ms")
                .resolve().shutdownGrace());
    }

    @Test
    void noFlagsLeaveTheDefaults() throws Exception {
        assertEquals(PdpConfig.defaults(), parse().resolve());
    }
}
