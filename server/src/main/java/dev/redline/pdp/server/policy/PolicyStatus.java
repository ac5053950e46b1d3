package dev.redline.pdp.server.policy;

import dev.redline.pdp.server.store.StoredBundle;
import java.time.Instant;
import java.util.Optional;

/**
 * What an operator needs to see: which bundle decides, when a bundle was last activated, and
 * the last refusal — so a failed update is visible even though the old policy keeps serving.
 */
public record PolicyStatus(Optional<StoredBundle> active, Optional<Instant> lastActivation,
        Optional<ActivationError> lastError) {

    /** A refused push, activation or poll. */
    public record ActivationError(String message, Instant time, String source) {}
}
