package dev.redline.pdp.server.bundle;

import java.util.List;

/**
 * An OPA Wasm bundle read into memory: everything the engine needs to evaluate it.
 *
 * @param name where the bundle came from (file name or "built-in:contract")
 * @param digest {@code sha256:<hex>} of the bundle archive as received
 * @param manifest the parsed {@code .manifest}
 * @param policyWasm the bytes of {@code policy.wasm}
 * @param dataJson the bundle's data documents merged into one JSON object (UTF-8)
 * @param signedBy the key id whose signature covers every file, or "" for an unsigned bundle
 * @param sizeBytes the size of the archive
 * @param warmupInputs the {@code input} documents of the bundle's {@code warmup/*.json} files (UTF-8
 *     JSON, in file-name order), which the engine evaluates before the bundle decides
 */
public record Bundle(String name, String digest, BundleManifest manifest, byte[] policyWasm, byte[] dataJson,
        String signedBy, long sizeBytes, List<byte[]> warmupInputs) {

    public Bundle {
        warmupInputs = List.copyOf(warmupInputs);
    }

    public String revision() {
        return manifest.revision();
    }
}
