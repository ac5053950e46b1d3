package dev.redline.pdp.server.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hashes a bundle file the way OPA's signer does (bundle/hash.go). The structured files, those
 * named {@code data.json} or {@code .manifest} in any directory, are hashed over OPA's canonical
 * encoding: what Go's {@code encoding/json} writes, without HTML escaping, for the document
 * OPA's decoder reads. That means numbers exactly as written (OPA decodes them as
 * {@code json.Number}, which the encoder writes back verbatim), object keys sorted by their
 * UTF-8 bytes, the last of duplicate keys kept, and strings escaped as Go escapes them. Every
 * other file, {@code *.json} of other names included, is hashed over its raw bytes.
 */
final class OpaFileHash {
    private final JsonFactory json;

    /** @param json the factory whose read constraints bound a bundle's files */
    OpaFileHash(JsonFactory json) {
        this.json = json;
    }

    /** Maps OPA's algorithm names (SHA-256, SHA-384, SHA-512-256, ...) to Java's. */
    String hex(String path, byte[] content, String opaAlgorithm) throws InvalidBundleException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(opaAlgorithm.equals("SHA-512-256") ? "SHA-512/256"
                    : opaAlgorithm.equals("SHA-512-224") ? "SHA-512/224" : opaAlgorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new InvalidBundleException(".signatures.json names unsupported hash algorithm " + opaAlgorithm
                    + " for " + path, e);
        }
        if (isStructured(path)) {
            StringBuilder canonical = new StringBuilder(content.length);
            write(parse(path, content), canonical);
            digest.update(canonical.toString().getBytes(StandardCharsets.UTF_8));
        } else {
            digest.update(content);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** OPA's IsStructuredDoc: the base name decides, not the extension. */
    private static boolean isStructured(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        return base.equals("data.json") || base.equals(".manifest");
    }

    private Object parse(String path, byte[] content) throws InvalidBundleException {
        try (JsonParser parser = json.createParser(content)) {
            if (parser.nextToken() == null) {
                throw new InvalidBundleException(path + " is not valid JSON: it is empty");
            }
            Object value = value(parser);
            if (parser.nextToken() != null) {
                throw new InvalidBundleException(path + " is not valid JSON: more follows the value at "
                        + parser.currentTokenLocation().offsetDescription());
            }
            return value;
        } catch (IOException e) {
            throw new InvalidBundleException(path + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The value at the parser's current token: a sorted map for an object, a list for an array,
     * or for a scalar its canonical text as a {@link Scalar}.
     */
    private static Object value(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> fields = new TreeMap<>(OpaFileHash::utf8Order);
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = goString(parser.currentName());
                    parser.nextToken();
                    fields.put(key, value(parser));
                }
                return fields;
            }
            case START_ARRAY -> {
                List<Object> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(value(parser));
                }
                return items;
            }
            case VALUE_STRING -> {
                StringBuilder text = new StringBuilder();
                string(goString(parser.getText()), text);
                return new Scalar(text.toString());
            }
            // Jackson's text of a number token is the number as written, which is what Go keeps.
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> {
                return new Scalar(parser.getText());
            }
            default -> throw new IllegalStateException("unexpected JSON token " + token);
        }
    }

    private record Scalar(String json) {}

    @SuppressWarnings("unchecked")
    private static void write(Object value, StringBuilder out) {
        if (value instanceof Scalar scalar) {
            out.append(scalar.json());
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> field : ((Map<String, Object>) map).entrySet()) {
                if (!first) out.append(',');
                first = false;
                string(field.getKey(), out);
                out.append(':');
                write(field.getValue(), out);
            }
            out.append('}');
        } else {
            out.append('[');
            List<Object> items = (List<Object>) value;
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) out.append(',');
                write(items.get(i), out);
            }
            out.append(']');
        }
    }

    /** Go's decoder turns an unpaired surrogate escape into U+FFFD; Jackson keeps the lone char. */
    private static String goString(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                StringBuilder fixed = new StringBuilder(s.length());
                s.codePoints().forEach(c -> fixed.appendCodePoint(
                        c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE ? 0xFFFD : c));
                return fixed.toString();
            }
        }
        return s;
    }

    /** Go sorts map keys byte-wise over UTF-8, which is code point order, not UTF-16 order. */
    private static int utf8Order(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** As Go's encoder with SetEscapeHTML(false): short escapes where Go has them, else a six-character escape. */
    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\u2028' -> out.append("\\u2028");
                case '\u2029' -> out.append("\\u2029");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
