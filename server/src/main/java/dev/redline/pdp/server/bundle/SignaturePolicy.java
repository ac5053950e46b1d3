package dev.redline.pdp.server.bundle;

import java.util.Map;
import java.util.TreeSet;

/**
 * Which bundle signatures the PDP accepts.
 *
 * @param required refuse bundles without a valid signature covering every file
 * @param keys the configured keys, by key id
 */
public record SignaturePolicy(boolean required, Map<String, VerificationKey> keys) {
    public SignaturePolicy {
        keys = Map.copyOf(keys);
        if (required && keys.isEmpty()) {
            throw new IllegalArgumentException("signatures are required but no verification key is configured");
        }
    }

    /** Unsigned bundles are accepted; signed ones are checked only if keys are configured. */
    public static SignaturePolicy none() {
        return new SignaturePolicy(false, Map.of());
    }

    String keyIds() {
        return String.join(", ", new TreeSet<>(keys.keySet()));
    }
}
