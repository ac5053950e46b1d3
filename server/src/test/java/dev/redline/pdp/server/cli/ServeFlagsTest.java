package dev.redline.pdp.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.redline.pdp.server.bundle.BundleLimits;
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
}
