package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * OPA's order of values ({@code ast.Compare}) over JSON values and {@link SetNode}s: null,
 * booleans, numbers (by value, so {@code 1} equals {@code 1.0}), strings, arrays (element by
 * element, then length), objects (by sorted keys, then their values, then size), sets. Equal
 * under it means equal as Rego compares.
 */
public final class RegoOrder implements Comparator<JsonNode> {
    public static final RegoOrder INSTANCE = new RegoOrder();

    private RegoOrder() {}

    @Override
    public int compare(JsonNode a, JsonNode b) {
        int kind = Integer.compare(rank(a), rank(b));
        if (kind != 0) {
            return kind;
        }
        switch (rank(a)) {
            case 0:
                return 0;
            case 1:
                return Boolean.compare(a.booleanValue(), b.booleanValue());
            case 2:
                return a.decimalValue().compareTo(b.decimalValue());
            case 3:
                return a.textValue().compareTo(b.textValue());
            case 5:
                return compareObjects(a, b);
            default:
                return compareSequences(a, b);
        }
    }

    private int compareSequences(JsonNode a, JsonNode b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private int compareObjects(JsonNode a, JsonNode b) {
        List<String> ka = sortedKeys(a);
        List<String> kb = sortedKeys(b);
        int n = Math.min(ka.size(), kb.size());
        for (int i = 0; i < n; i++) {
            int c = ka.get(i).compareTo(kb.get(i));
            if (c != 0) {
                return c;
            }
            c = compare(a.get(ka.get(i)), b.get(kb.get(i)));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(ka.size(), kb.size());
    }

    private static List<String> sortedKeys(JsonNode o) {
        List<String> keys = new ArrayList<>();
        o.fieldNames().forEachRemaining(keys::add);
        keys.sort(null);
        return keys;
    }

    private static int rank(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return 0;
        }
        if (v.isBoolean()) {
            return 1;
        }
        if (v.isNumber()) {
            return 2;
        }
        if (v.isTextual()) {
            return 3;
        }
        if (v instanceof SetNode) {
            return 6;
        }
        return v.isArray() ? 4 : 5;
    }
}
