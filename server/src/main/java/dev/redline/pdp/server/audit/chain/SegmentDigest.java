package dev.redline.pdp.server.audit.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * What a sealed segment holds, keyed with HMAC-SHA256 so that it cannot be rewritten without the
 * key, and linked to the previous segment's digest so that segments cannot be dropped or swapped.
 * Written as one sealed canonical JSON object (see {@link SealedJson}) with {@code hmac} last.
 *
 * @param segment the segment's file name
 * @param firstSeq seq of its first record
 * @param lastSeq seq of its last record
 * @param records how many records it holds
 * @param firstHash hash of its first record
 * @param lastHash hash of its last record, which the next segment's first record links to
 * @param minTime earliest record time in it (ISO-8601)
 * @param maxTime latest record time in it
 * @param bytes the segment's size
 * @param prevDigest the HMAC of the previous segment's digest; 64 zeros for segment 1
 * @param keyId which key sealed it ({@link AuditKey#id()})
 * @param sealedAt when it was sealed
 */
public record SegmentDigest(
        String segment,
        long firstSeq,
        long lastSeq,
        long records,
        String firstHash,
        String lastHash,
        String minTime,
        String maxTime,
        long bytes,
        String prevDigest,
        String keyId,
        String sealedAt) {

    static final String HMAC = "hmac";

    /** A digest read back with the bytes its HMAC covers. */
    public record Sealed(SegmentDigest digest, byte[] body, String hmac) {
        boolean verifies(AuditKey key) {
            return key.hmacHex(body).equals(hmac);
        }
    }

    byte[] body() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("v", PreparedRecord.FORMAT_VERSION);
        node.put("segment", segment);
        node.put("first_seq", firstSeq);
        node.put("last_seq", lastSeq);
        node.put("records", records);
        node.put("first_hash", firstHash);
        node.put("last_hash", lastHash);
        node.put("min_time", minTime);
        node.put("max_time", maxTime);
        node.put("bytes", bytes);
        node.put("prev_digest", prevDigest);
        node.put("key_id", keyId);
        node.put("sealed_at", sealedAt);
        return CanonicalJson.bytes(node);
    }

    /** The file content sealed with {@code key}, and its HMAC. */
    Sealed seal(AuditKey key) {
        byte[] body = body();
        return new Sealed(this, body, key.hmacHex(body));
    }

    static byte[] fileContent(Sealed sealed) {
        byte[] content = SealedJson.seal(sealed.body(), HMAC, sealed.hmac());
        byte[] line = Arrays.copyOf(content, content.length + 1);
        line[content.length] = '\n';
        return line;
    }

    /** Reads a digest file's content; empty when it is not a well-formed sealed digest. */
    public static Optional<Sealed> parse(byte[] content) {
        int length = content.length;
        if (length > 0 && content[length - 1] == '\n') {
            length--;
        }
        Optional<SealedJson.Split> split = SealedJson.split(content, 0, length, HMAC);
        if (split.isEmpty()) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = CanonicalJson.read(split.get().body(), 0, split.get().body().length);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (node == null || !node.isObject() || !node.path("records").isIntegralNumber()) {
            return Optional.empty();
        }
        SegmentDigest digest = new SegmentDigest(node.path("segment").asText(), node.path("first_seq").asLong(),
                node.path("last_seq").asLong(), node.path("records").asLong(), node.path("first_hash").asText(),
                node.path("last_hash").asText(), node.path("min_time").asText(), node.path("max_time").asText(),
                node.path("bytes").asLong(), node.path("prev_digest").asText(), node.path("key_id").asText(),
                node.path("sealed_at").asText());
        return Optional.of(new Sealed(digest, split.get().body(), split.get().seal()));
    }
}
