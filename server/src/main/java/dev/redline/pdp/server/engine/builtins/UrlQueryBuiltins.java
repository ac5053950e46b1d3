package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code urlquery.*} with Go's net/url escaping ({@code QueryEscape}, {@code Values.Encode}, {@code ParseQuery}). */
final class UrlQueryBuiltins {
    private UrlQueryBuiltins() {}

    static void addTo(Map<String, HostFunction.Body> builtins) {
        builtins.put("urlquery.encode", ops -> Operands.text(escape(Operands.string("urlquery.encode", ops, 0))));
        builtins.put("urlquery.decode", ops -> Operands.text(unescape("urlquery.decode",
                Operands.string("urlquery.decode", ops, 0))));
        builtins.put("urlquery.encode_object", UrlQueryBuiltins::encodeObject);
        builtins.put("urlquery.decode_object", UrlQueryBuiltins::decodeObject);
    }

    /** Go's QueryEscape keeps letters, digits and {@code -_.~}, and writes a space as '+'. */
    static String escape(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
    }

    private static String unescape(String builtin, String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BuiltinError(builtin, "invalid URL escape in " + GoFormat.quote(s));
        }
    }

    private static JsonNode encodeObject(JsonNode[] ops) {
        JsonNode object = Operands.object("urlquery.encode_object", ops, 0);
        Map<String, List<String>> values = new TreeMap<>();
        object.fields().forEachRemaining(f -> {
            List<String> list = new ArrayList<>();
            if (f.getValue().isTextual()) {
                list.add(f.getValue().textValue());
            } else if (f.getValue().isArray()) {
                for (JsonNode v : f.getValue()) {
                    if (!v.isTextual()) {
                        throw new BuiltinError("urlquery.encode_object", "encoding object only supports string,"
                                + " array of strings, or set of strings");
                    }
                    list.add(v.textValue());
                }
            } else {
                throw new BuiltinError("urlquery.encode_object", "encoding object only supports string,"
                        + " array of strings, or set of strings");
            }
            values.put(f.getKey(), list);
        });
        StringBuilder out = new StringBuilder();
        values.forEach((k, list) -> list.forEach(v -> out.append(out.length() == 0 ? "" : "&")
                .append(escape(k)).append('=').append(escape(v))));
        return Operands.text(out.toString());
    }

    private static JsonNode decodeObject(JsonNode[] ops) {
        String query = Operands.string("urlquery.decode_object", ops, 0);
        ObjectNode out = Operands.NODES.objectNode();
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            if (pair.contains(";")) {
                throw new BuiltinError("urlquery.decode_object", "invalid semicolon separator in query");
            }
            int eq = pair.indexOf('=');
            String key = unescape("urlquery.decode_object", eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : unescape("urlquery.decode_object", pair.substring(eq + 1));
            JsonNode list = out.get(key);
            if (list == null) {
                list = out.putArray(key);
            }
            ((ArrayNode) list).add(value);
        }
        return out;
    }
}
