package dev.redline.pdp.server.policy;

import dev.redline.pdp.server.store.StoredBundle;
import java.util.List;

/**
 * A bundle accepted into the store: what was checked, whether it now decides, and why it may
 * never decide ({@link BundleWarnings}; empty when nothing is amiss).
 */
public record PushResult(StoredBundle bundle, List<String> validated, boolean activated, List<String> warnings) {
    public PushResult {
        validated = List.copyOf(validated);
        warnings = List.copyOf(warnings);
    }
}
