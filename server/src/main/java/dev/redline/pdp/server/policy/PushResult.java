package dev.redline.pdp.server.policy;

import dev.redline.pdp.server.store.StoredBundle;
import java.util.List;

/** A bundle accepted into the store: what was checked, and whether it now decides. */
public record PushResult(StoredBundle bundle, List<String> validated, boolean activated) {
    public PushResult {
        validated = List.copyOf(validated);
    }
}
