package dev.redline.pdp.server.audit.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The one JSON form the log writes: UTF-8, no insignificant whitespace, the members of every object
 * sorted by name (Java {@code String} order, which for our ASCII field names is byte order), strings
 * and numbers as Jackson writes them. Hashes are computed over the exact bytes written, so the form
 * only has to be the same for every writer of this code base; fixing it keeps records diffable and
 * their hashes reproducible by hand ({@code jq -cS} gives the same member order).
 */
final class CanonicalJson {
    /** Writes canonical JSON. */
    static final ObjectMapper WRITER = JsonMapper.builder()
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .build();

    /** Reads log files; a record with a duplicated member is refused rather than read one way or the other. */
    static final ObjectMapper READER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private CanonicalJson() {}

    static byte[] bytes(JsonNode value) {
        try {
            return WRITER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written: " + e.getMessage(), e);
        }
    }

    static JsonNode read(byte[] bytes, int offset, int length) throws IOException {
        return READER.readTree(bytes, offset, length);
    }
}
