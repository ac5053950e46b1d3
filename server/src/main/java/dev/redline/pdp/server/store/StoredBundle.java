package dev.redline.pdp.server.store;

import java.time.Instant;
import java.util.List;

/**
 * What the store knows about one accepted bundle.
 *
 * @param digest {@code sha256:<hex>} of the archive: its identity and file name in the store
 * @param revision the manifest revision
 * @param name the name it was pushed under
 * @param pushedAt when it was accepted
 * @param pushedBy who pushed it (admin token name, "startup", "poll:<url>")
 * @param sizeBytes archive size
 * @param entrypoints entrypoints the policy exports
 * @param signedBy key id of its signature, "" when unsigned
 */
public record StoredBundle(String digest, String revision, String name, Instant pushedAt, String pushedBy,
        long sizeBytes, List<String> entrypoints, String signedBy) {
    public StoredBundle {
        entrypoints = List.copyOf(entrypoints);
    }
}
