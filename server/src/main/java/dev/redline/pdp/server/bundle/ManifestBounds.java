package dev.redline.pdp.server.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/** The checks of {@link BundleManifest}'s bounds; each refusal names the field, its size and the limit. */
final class ManifestBounds {
    private ManifestBounds() {}

    static void checkBytes(String field, String value, int limit) throws InvalidBundleException {
        // Cheap bound first: a string of n chars holds at most 3n UTF-8 bytes.
        if (value.length() * 3L <= limit) {
            return;
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limit) {
            throw new InvalidBundleException(field + " is " + bytes + " bytes; the limit is " + limit + " bytes");
        }
    }

    static void checkCount(String field, int count, int limit) throws InvalidBundleException {
        if (count > limit) {
            throw new InvalidBundleException(".manifest has " + count + " " + field + "; the limit is " + limit);
        }
    }

    static void checkMetadata(ObjectMapper json, JsonNode metadata) throws InvalidBundleException {
        if (metadata.isMissingNode()) {
            return;
        }
        int bytes;
        try {
            bytes = json.writeValueAsBytes(metadata).length;
        } catch (JsonProcessingException e) {
            throw new InvalidBundleException(".manifest metadata cannot be serialized: " + e.getMessage(), e);
        }
        if (bytes > BundleManifest.MAX_METADATA_BYTES) {
            throw new InvalidBundleException(".manifest metadata is " + bytes + " bytes as compact JSON; the limit is "
                    + BundleManifest.MAX_METADATA_BYTES + " bytes");
        }
    }
}
