package dev.redline.pdp.server.policy;

import dev.redline.pdp.server.store.StoredBundle;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an operator needs to see: which bundle decides, when a bundle was last activated, and
 * the last refusal — so a failed update is visible even though the old policy keeps serving —
 * and the active bundle's {@link BundleWarnings} (empty when none or no bundle is active).
 */
public record PolicyStatus(Optional<StoredBundle> active, Optional<Instant> lastActivation,
        Optional<ActivationError> lastError, List<String> warnings) {

    public PolicyStatus {
        warnings = List.copyOf(warnings);
    }

    /** A refused push, activation or poll. */
    public record ActivationError(String message, Instant time, String source) {}
}
