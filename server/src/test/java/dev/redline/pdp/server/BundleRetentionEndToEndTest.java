package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.AdminCalls;
import dev.redline.pdp.server.harness.OpaBundles;
import dev.redline.pdp.server.harness.RunningPdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.StoredBundle;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --keep-bundles 3} over real gRPC: the oldest bundles leave the disk and the list, the
 * active bundle and its rollback target never do, and every rollback finds a stored bundle.
 */
class BundleRetentionEndToEndTest {
    private static final int KEEP = 3;

    @TempDir
    static Path bundles;

    private static Map<String, Path> revisions;

    @TempDir
    Path dataDir;

    private RunningPdp pdp;
    private AdminCalls admin;

    @BeforeAll
    static void buildBundles() throws Exception {
        revisions = new java.util.HashMap<>();
        for (String name : List.of("A", "B", "C", "D", "E")) {
            revisions.put(name, OpaBundles.buildRevision(Files.createDirectories(bundles.resolve(name)),
                    Map.of("rev.rego", "package rev\n\ndecision := {\"allow\": true, \"rev\": \"" + name + "\"}\n"),
                    "rev-" + name, "rev/decision"));
        }
    }

    @BeforeEach
    void start() throws Exception {
        PdpConfig config = PdpConfig.defaults().withEvalTimeout(Duration.ofSeconds(10));
        pdp = RunningPdp.start(config.withPolicy(config.policy().withDataDir(dataDir).withKeepBundles(KEEP)));
        admin = AdminCalls.forPdp(pdp.server, dataDir);
    }

    @AfterEach
    void stop() {
        admin.close();
        pdp.close();
    }

    @Test
    void theOldestBundlesBeyondKeepLeaveTheDiskAndTheList() throws Exception {
        pushAll(true, "A", "B", "C", "D", "E");

        List<StoredBundle> listed = admin.list();

        assertEquals(List.of("rev-E", "rev-D", "rev-C"), listed.stream().map(StoredBundle::getRevision).toList());
        assertEquals(filesOf(listed), storedFiles());
    }

    @Test
    void theActiveBundleAndItsRollbackTargetAreNeverPruned() throws Exception {
        String builtIn = pdp.server.activeBundle().orElseThrow().revision();
        admin.push(revisions.get("A"), true);
        pushAll(false, "B", "C", "D", "E");

        List<StoredBundle> listed = admin.list();

        assertEquals(List.of("rev-E", "rev-D", "rev-C", "rev-A", builtIn),
                listed.stream().map(StoredBundle::getRevision).toList());
        assertEquals(filesOf(listed), storedFiles());
        assertEquals("rev-A", decidingRevision());
        assertEquals(builtIn, admin.rollback().getActive().getRevision());
        assertEquals(builtIn, pdp.server.activeBundle().orElseThrow().revision());
    }

    @Test
    void repeatedRollbacksWalkBackThroughTheKeptBundlesAndThenStop() throws Exception {
        pushAll(true, "A", "B", "C", "D", "E");

        assertEquals("rev-D", admin.rollback().getActive().getRevision());
        assertEquals("rev-D", decidingRevision());
        assertEquals("rev-C", admin.rollback().getActive().getRevision());
        assertEquals("rev-C", decidingRevision());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, admin::rollback);

        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals("there is no previously active bundle to roll back to", e.getStatus().getDescription());
        assertEquals("rev-C", decidingRevision());
    }

    @Test
    void aRestartAfterPruningRollsBackToAStoredBundle() throws Exception {
        pushAll(true, "A", "B", "C", "D", "E");
        admin.close();
        pdp.close();
        PdpConfig config = PdpConfig.defaults().withEvalTimeout(Duration.ofSeconds(10));
        pdp = RunningPdp.start(config.withPolicy(config.policy().withDataDir(dataDir).withKeepBundles(KEEP)));
        admin = AdminCalls.forPdp(pdp.server, dataDir);

        assertEquals("rev-E", decidingRevision());
        assertEquals("rev-D", admin.rollback().getActive().getRevision());
        assertEquals("rev-D", decidingRevision());
    }

    private void pushAll(boolean activate, String... names) throws Exception {
        for (String name : names) {
            assertEquals(activate, admin.push(revisions.get(name), activate).getActivated());
        }
    }

    private String decidingRevision() {
        return pdp.decisions().decide(DecideRequest.newBuilder().setPath("rev/decision")
                .setInput(Struct.getDefaultInstance()).build()).getBundle().getRevision();
    }

    /** The archive and the record each listed bundle has on disk. */
    private static Set<String> filesOf(List<StoredBundle> listed) {
        return listed.stream().map(b -> b.getDigest().substring("sha256:".length()))
                .flatMap(hex -> Stream.of(hex + ".tar.gz", hex + ".json")).collect(Collectors.toSet());
    }

    private Set<String> storedFiles() throws Exception {
        try (Stream<Path> files = Files.list(dataDir.resolve("bundles"))) {
            return files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
