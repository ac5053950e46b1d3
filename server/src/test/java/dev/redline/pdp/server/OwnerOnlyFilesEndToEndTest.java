package dev.redline.pdp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.RunningPdp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything a serving PDP writes into a new data directory (decision log, its key, the store, the
 * admin tokens, the locks) is its owner's alone: files 0600, directories 0700, under the test
 * JVM's umask (022 on these machines, which would otherwise leave them world-readable).
 */
class OwnerOnlyFilesEndToEndTest {
    @TempDir
    Path work;

    @Test
    void everyFileAServingPdpMakesIsOwnerOnlyInOwnerOnlyDirectories() throws Exception {
        Path dataDir = work.resolve("data");
        try (RunningPdp pdp = RunningPdp.start(PdpConfig.defaults().withDataDir(dataDir))) {
            pdp.decisions().decide(DecideRequest.newBuilder()
                    .setInput(ContractCase.named("allowed-logistics").input()).build());
        }

        List<Path> made;
        try (Stream<Path> walk = Files.walk(dataDir)) {
            made = walk.toList();
        }
        assertTrue(made.contains(dataDir.resolve("audit").resolve("00000001.jsonl")), made.toString());
        for (Path path : made) {
            String expected = Files.isDirectory(path) ? "rwx------" : "rw-------";
            assertEquals(expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(path)), path.toString());
        }
    }
}
