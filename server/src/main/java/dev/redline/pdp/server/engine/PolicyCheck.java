package dev.redline.pdp.server.engine;

import java.util.Set;
import java.util.TreeSet;

/**
 * What loading a bundle found out about its policy, beyond passing every check.
 *
 * @param entrypoints the entrypoints policy.wasm exports
 * @param alwaysUndefined the entrypoints whose smoke evaluation answered undefined on every
 *     representative input (the bundle's warm-up inputs, else {@code {}})
 */
public record PolicyCheck(Set<String> entrypoints, Set<String> alwaysUndefined) {
    public PolicyCheck {
        entrypoints = java.util.Collections.unmodifiableSet(new TreeSet<>(entrypoints));
        alwaysUndefined = java.util.Collections.unmodifiableSet(new TreeSet<>(alwaysUndefined));
    }
}
