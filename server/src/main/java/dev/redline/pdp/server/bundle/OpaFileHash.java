package dev.redline.pdp.server.bundle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Hashes a bundle file the way OPA's signer does: JSON files ({@code *.json} and
 * {@code .manifest}) over a canonical encoding (keys sorted, no white space, numbers as
 * written, strings escaped as Go's encoder does without HTML escaping); every other file over
 * its raw bytes.
 */
final class OpaFileHash {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private OpaFileHash() {}

    /** Maps OPA's algorithm names (SHA-256, SHA-384, SHA-512, ...) to Java's. */
    static String hex(String path, byte[] content, String opaAlgorithm) throws InvalidBundleException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(opaAlgorithm.equals("SHA-512-256") ? "SHA-512/256"
                    : opaAlgorithm.equals("SHA-512-224") ? "SHA-512/224" : opaAlgorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new InvalidBundleException(".signatures.json names unsupported hash algorithm " + opaAlgorithm
                    + " for " + path, e);
        }
        if (path.endsWith(".json") || path.equals(".manifest") || path.endsWith("/.manifest")) {
            JsonNode value;
            try {
                value = JSON.readTree(content);
            } catch (IOException e) {
                throw new InvalidBundleException(path + " is not valid JSON: " + e.getMessage(), e);
            }
            StringBuilder canonical = new StringBuilder(content.length);
            write(value, canonical);
            digest.update(canonical.toString().getBytes(StandardCharsets.UTF_8));
        } else {
            digest.update(content);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull()) {
            out.append("null");
        } else if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            node.fields().forEachRemaining(fields::add);
            fields.sort(Map.Entry.comparingByKey());
            out.append('{');
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) out.append(',');
                string(fields.get(i).getKey(), out);
                out.append(':');
                write(fields.get(i).getValue(), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) out.append(',');
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isTextual()) {
            string(node.textValue(), out);
        } else if (node.isBigDecimal()) {
            out.append(node.decimalValue().toString());
        } else {
            out.append(node.asText());
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\u2028' -> out.append("\\u2028");
                case '\u2029' -> out.append("\\u2029");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
