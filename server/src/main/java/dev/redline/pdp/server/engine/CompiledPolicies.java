package dev.redline.pdp.server.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The policies compiled lately, by the SHA-256 of their {@code policy.wasm}: validating a bundle,
 * activating it, rolling back to the previous revision or pushing new data with the same policy
 * all reuse one compilation. Bounded: the least recently used compilation is dropped (its classes
 * are unloaded once no instance runs them).
 */
final class CompiledPolicies {
    private final int capacity;
    private final ObjectMapper json;
    private final Map<String, CompiledPolicy> byDigest;

    CompiledPolicies(int capacity, ObjectMapper json) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
        this.json = json;
        this.byDigest = new LinkedHashMap<>(capacity * 2, 0.75f, true);
    }

    /**
     * The compilation of {@code wasm}, compiled now if it is not held. Compiles one policy at a
     * time: two loads of one new revision compile it once.
     */
    synchronized CompiledPolicy of(byte[] wasm) throws PolicyLoadException {
        String digest = sha256(wasm);
        CompiledPolicy held = byDigest.get(digest);
        if (held != null) {
            return held;
        }
        CompiledPolicy compiled = CompiledPolicy.compile(wasm, json);
        byDigest.put(digest, compiled);
        if (byDigest.size() > capacity) {
            byDigest.remove(byDigest.keySet().iterator().next());
        }
        return compiled;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }
}
