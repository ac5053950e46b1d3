package dev.redline.pdp.server.bundle;

import java.util.Map;
import java.util.TreeMap;

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
 * @param warmupInputs the bundle's {@code warmup/*.json} input documents by path, in path order:
 *     representative inputs to try every entrypoint on before the bundle decides
 */
public record Bundle(String name, String digest, BundleManifest manifest, byte[] policyWasm, byte[] dataJson,
        String signedBy, long sizeBytes, Map<String, byte[]> warmupInputs) {

    public Bundle {
        warmupInputs = java.util.Collections.unmodifiableMap(new TreeMap<>(warmupInputs));
    }

    /** A bundle that ships no warm-up inputs. */
    public Bundle(String name, String digest, BundleManifest manifest, byte[] policyWasm, byte[] dataJson,
            String signedBy, long sizeBytes) {
        this(name, digest, manifest, policyWasm, dataJson, signedBy, sizeBytes, Map.of());
    }

    public String revision() {
        return manifest.revision();
    }
}
