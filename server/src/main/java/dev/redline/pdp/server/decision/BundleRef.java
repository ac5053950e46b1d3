package dev.redline.pdp.server.decision;

import dev.redline.pdp.server.bundle.Bundle;

/** Which bundle decided: enough for an auditor to find the exact policy again. */
public record BundleRef(String name, String revision, String digest) {
    public static BundleRef of(Bundle bundle) {
        return new BundleRef(bundle.name(), bundle.revision(), bundle.digest());
    }
}
