package dev.redline.pdp.server.bundle;

import java.util.List;

/**
 * The parts of an OPA bundle's {@code .manifest} the PDP acts on.
 *
 * @param revision the policy author's revision string (may be empty)
 * @param roots the data and policy paths the bundle owns
 * @param wasmEntrypoints entrypoints the manifest declares for its Wasm modules, e.g.
 *     {@code contract/decision}
 */
public record BundleManifest(String revision, List<String> roots, List<String> wasmEntrypoints) {
    public BundleManifest {
        roots = List.copyOf(roots);
        wasmEntrypoints = List.copyOf(wasmEntrypoints);
    }
}
