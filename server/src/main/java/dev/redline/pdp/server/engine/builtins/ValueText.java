package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * OPA's value text, the form {@code opa_value_dump} writes and {@code opa_value_parse} reads: JSON
 * with sets ({@code {1, 2}}, {@code set()}) and keys of any type. Sets read as {@link SetNode}s,
 * sorted; a key that is not a string reads as its JSON text, as OPA's JSON dump writes it.
 */
public final class ValueText {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final byte[] b;
    private int i;

    private ValueText(byte[] b) {
        this.b = b;
    }

    public static JsonNode parse(byte[] text) {
        ValueText p = new ValueText(text);
        JsonNode v = p.value();
        if (p.skipSpaces() < text.length) {
            throw new IllegalArgumentException("trailing text after value at offset " + p.i);
        }
        return v;
    }

    /** Compact JSON, sets as sorted arrays. */
    public static byte[] toJson(JsonNode v) {
        return Json.write(v).getBytes(StandardCharsets.UTF_8);
    }

    public static String write(JsonNode v) {
        StringBuilder s = new StringBuilder();
        write(v, s, false);
        return s.toString();
    }

    /**
     * The value as OPA prints it ({@code ast.Value.String()}, what {@code sprintf("%v")} shows):
     * {@code [1, "a"]}, {@code {"a": 1}} with keys sorted, {@code {1, 2}}, {@code set()}.
     */
    static String print(JsonNode v) {
        StringBuilder s = new StringBuilder();
        write(v, s, true);
        return s.toString();
    }

    private static void write(JsonNode v, StringBuilder s, boolean printed) {
        String comma = printed ? ", " : ",";
        if (v instanceof SetNode set && set.isEmpty()) {
            s.append("set()");
        } else if (v.isArray()) {
            s.append(v instanceof SetNode ? '{' : '[');
            for (int k = 0; k < v.size(); k++) {
                s.append(k == 0 ? "" : comma);
                write(v.get(k), s, printed);
            }
            s.append(v instanceof SetNode ? '}' : ']');
        } else if (v.isObject()) {
            List<String> keys = new ArrayList<>();
            v.fieldNames().forEachRemaining(keys::add);
            if (printed) {
                keys.sort(null);
            }
            s.append('{');
            for (int k = 0; k < keys.size(); k++) {
                s.append(k == 0 ? "" : comma).append(TextNode.valueOf(keys.get(k)).toString()).append(printed ? ": " : ":");
                write(v.get(keys.get(k)), s, printed);
            }
            s.append('}');
        } else {
            s.append(v.toString());
        }
    }

    private int skipSpaces() {
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r')) {
            i++;
        }
        return i;
    }

    private JsonNode value() {
        skipSpaces();
        if (i >= b.length) {
            throw new IllegalArgumentException("value text ends early");
        }
        byte c = b[i];
        if (c == '"') {
            return NODES.textNode(string());
        }
        if (c == '[') {
            i++;
            ArrayNode array = NODES.arrayNode();
            elements(array, ']');
            return array;
        }
        if (c == '{') {
            return objectOrSet();
        }
        int start = i;
        while (i < b.length && ",:]}) \n\t\r".indexOf(b[i]) < 0 && b[i] != '(') {
            i++;
        }
        String word = new String(b, start, i - start, StandardCharsets.US_ASCII);
        switch (word) {
            case "null":
                return NODES.nullNode();
            case "true":
                return NODES.booleanNode(true);
            case "false":
                return NODES.booleanNode(false);
            case "set":
                i += 2; // "()"
                return new SetNode();
            default:
                return number(word);
        }
    }

    static JsonNode number(String word) {
        BigDecimal d = new BigDecimal(word);
        if (word.indexOf('.') < 0 && word.indexOf('e') < 0 && word.indexOf('E') < 0) {
            return NODES.numberNode(d.toBigIntegerExact());
        }
        return new WrittenNumber(d, word);
    }

    /** A fraction that keeps the text it was written as ({@code 2e308} stays {@code 2e308}), as OPA's numbers do. */
    static final class WrittenNumber extends com.fasterxml.jackson.databind.node.DecimalNode {
        private static final long serialVersionUID = 1L;
        private final String text;

        WrittenNumber(BigDecimal value, String text) {
            super(value);
            this.text = text.startsWith(".") ? "0" + text : text.startsWith("-.") ? "-0" + text.substring(1) : text;
        }

        @Override
        public String asText() {
            return text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private String string() {
        int start = i;
        i++;
        while (i < b.length && b[i] != '"') {
            i += b[i] == '\\' ? 2 : 1;
        }
        i++;
        try {
            return Json.MAPPER.readValue(b, start, i - start, String.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("bad string in value text: " + e.getMessage(), e);
        }
    }

    private JsonNode objectOrSet() {
        i++;
        skipSpaces();
        if (b[i] == '}') {
            i++;
            return NODES.objectNode();
        }
        JsonNode first = value();
        skipSpaces();
        if (b[i] != ':') {
            SetNode set = new SetNode();
            set.add(first);
            if (b[i] == ',') {
                i++;
                elements(set, '}');
            } else {
                i++;
            }
            return set.normalize();
        }
        ObjectNode object = NODES.objectNode();
        while (true) {
            i++; // ':'
            object.set(first.isTextual() ? first.textValue() : Json.write(first), value());
            skipSpaces();
            if (b[i++] == '}') {
                return object;
            }
            first = value();
            skipSpaces();
        }
    }

    private void elements(ArrayNode into, char close) {
        skipSpaces();
        if (b[i] == close) {
            i++;
            return;
        }
        while (true) {
            into.add(value());
            skipSpaces();
            if (b[i++] == close) {
                return;
            }
        }
    }
}
