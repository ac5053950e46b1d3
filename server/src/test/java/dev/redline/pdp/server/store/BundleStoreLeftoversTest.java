package dev.redline.pdp.server.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.server.bundle.BundleDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What opening a bundle store removes: the leftovers of a write a crash interrupted, and nothing else. */
class BundleStoreLeftoversTest {
    private static final byte[] ARCHIVE = "not really a tar.gz, the store does not read it".getBytes(UTF_8);
    private static final BundleDigest DIGEST = BundleDigest.of(ARCHIVE);

    @TempDir
    Path root;

    @Test
    void temporaryFilesOfAnInterruptedWriteAreRemoved() throws Exception {
        new BundleStore(root);
        Path activeTemporary = Files.writeString(root.resolve("active.json.tmp"), "{\"digest\":");
        Path recordTemporary = Files.writeString(root.resolve("bundles").resolve(DIGEST.hex() + ".json.tmp"), "{");

        new BundleStore(root);

        assertFalse(Files.exists(activeTemporary));
        assertFalse(Files.exists(recordTemporary));
    }

    @Test
    void anArchiveWhoseRecordWasNeverWrittenIsRemoved() throws Exception {
        new BundleStore(root);
        Path orphan = Files.write(root.resolve("bundles").resolve(DIGEST.hex() + ".tar.gz"), ARCHIVE);

        BundleStore reopened = new BundleStore(root);

        assertFalse(Files.exists(orphan));
        assertEquals(List.of(), reopened.list());
    }

    @Test
    void aCompletelyStoredBundleAndTheActiveChoiceSurviveReopening() throws Exception {
        BundleStore store = new BundleStore(root);
        StoredBundle record = new StoredBundle(DIGEST.toString(), "rev-1", "b.tar.gz",
                Instant.parse("2026-06-01T12:00:00Z"), "test", ARCHIVE.length, List.of("contract/decision"), "");
        store.put(ARCHIVE, record);
        ActiveChoice choice = new ActiveChoice(DIGEST.toString(), Instant.parse("2026-06-01T12:00:01Z"), List.of());
        store.setActive(choice);

        BundleStore reopened = new BundleStore(root);

        assertEquals(List.of(record), reopened.list());
        assertArrayEquals(ARCHIVE, reopened.archive(DIGEST.toString()));
        assertEquals(choice, reopened.active().orElseThrow());
    }

    @Test
    void filesOtherThanLeftoversAreLeftAlone() throws Exception {
        new BundleStore(root);
        Path unrelated = Files.writeString(root.resolve("admin.tokens"), "admin admin 0123456789abcdef\n");

        new BundleStore(root);

        assertTrue(Files.exists(unrelated));
    }
}
