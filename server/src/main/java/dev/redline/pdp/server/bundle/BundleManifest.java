package dev.redline.pdp.server.bundle;

import java.util.List;

/**
 * The parts of an OPA bundle's {@code .manifest} the PDP acts on.
 *
 * <p>Its fields are bounded (docs/bundles.md, "Manifest limits"): the revision travels in every
 * decision response and record, and roots and entrypoints in every status answer, so an
 * unbounded one would make every answer as large as itself.
 *
 * @param revision the policy author's revision string (may be empty)
 * @param roots the data and policy paths the bundle owns
 * @param wasmEntrypoints entrypoints the manifest declares for its Wasm modules, e.g.
 *     {@code contract/decision}
 */
public record BundleManifest(String revision, List<String> roots, List<String> wasmEntrypoints) {
    /** Longest revision, in UTF-8 bytes: a commit id, a date and a tag fit many times over. */
    public static final int MAX_REVISION_BYTES = 256;
    public static final int MAX_ROOTS = 256;
    public static final int MAX_WASM_ENTRIES = 256;
    /** Longest root or entrypoint path, in UTF-8 bytes. */
    public static final int MAX_PATH_BYTES = 1024;
    /** Largest metadata object, as compact JSON. */
    public static final int MAX_METADATA_BYTES = 64 * 1024;

    public BundleManifest {
        roots = List.copyOf(roots);
        wasmEntrypoints = List.copyOf(wasmEntrypoints);
    }
}
