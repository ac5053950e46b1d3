package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Go's encoding/json output ({@code json.Marshal}, {@code json.MarshalIndent}): keys sorted, HTML
 * characters and U+2028/U+2029 escaped, numbers as written, sets as arrays.
 */
final class GoJson {
    private GoJson() {}

    /** Compact when {@code indent} is null, else each element on its own line after {@code prefix} and indents. */
    static String write(JsonNode v, String prefix, String indent) {
        StringBuilder s = new StringBuilder();
        write(v, prefix, indent, 0, s);
        return s.toString();
    }

    private static void newline(String prefix, String indent, int level, StringBuilder s) {
        s.append('\n').append(prefix).append(indent.repeat(level));
    }

    private static void write(JsonNode v, String prefix, String indent, int level, StringBuilder s) {
        if (v.isArray()) {
            if (v.isEmpty()) {
                s.append("[]");
                return;
            }
            s.append('[');
            for (int k = 0; k < v.size(); k++) {
                s.append(k == 0 ? "" : ",");
                if (indent != null) {
                    newline(prefix, indent, level + 1, s);
                }
                write(v.get(k), prefix, indent, level + 1, s);
            }
            if (indent != null) {
                newline(prefix, indent, level, s);
            }
            s.append(']');
        } else if (v.isObject()) {
            if (v.isEmpty()) {
                s.append("{}");
                return;
            }
            List<String> keys = new ArrayList<>();
            v.fieldNames().forEachRemaining(keys::add);
            keys.sort(null);
            s.append('{');
            for (int k = 0; k < keys.size(); k++) {
                s.append(k == 0 ? "" : ",");
                if (indent != null) {
                    newline(prefix, indent, level + 1, s);
                }
                string(keys.get(k), s);
                s.append(indent != null ? ": " : ":");
                write(v.get(keys.get(k)), prefix, indent, level + 1, s);
            }
            if (indent != null) {
                newline(prefix, indent, level, s);
            }
            s.append('}');
        } else if (v.isTextual()) {
            string(v.textValue(), s);
        } else {
            s.append(v.toString());
        }
    }

    private static void string(String text, StringBuilder s) {
        s.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('"');
    }
}
