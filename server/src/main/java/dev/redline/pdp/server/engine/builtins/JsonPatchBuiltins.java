package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code json.patch} (topdown/json.go with OPA's edit tree): RFC 6902's add, remove, replace,
 * move, copy and test, on objects, arrays and sets (where a path's last segment is the element
 * itself), paths as JSON pointers or arrays of segments. Any failing operation makes the call
 * undefined.
 */
final class JsonPatchBuiltins {
    private static final String NAME = "json.patch";

    private JsonPatchBuiltins() {}

    static void addTo(Map<String, HostFunction.Body> builtins) {
        builtins.put(NAME, ops -> {
            if (!ops[1].isArray() || ops[1] instanceof SetNode) {
                throw new BuiltinError(NAME, "operand 2 must be array");
            }
            JsonNode[] root = {copy(ops[0])};
            for (JsonNode op : ops[1]) {
                apply(root, op);
            }
            return root[0];
        });
    }

    private static void apply(JsonNode[] root, JsonNode op) {
        if (!op.isObject()) {
            throw new BuiltinError(NAME, "must be an array of JSON-Patch objects, but at least one element is not an object");
        }
        if (!op.has("path")) {
            throw new BuiltinError(NAME, "missing required attribute 'path'");
        }
        JsonNode kind = op.get("op");
        if (kind == null || !kind.isTextual()) {
            throw new BuiltinError(NAME, "missing or non-string attribute 'op'");
        }
        List<JsonNode> path = path(op.get("path"));
        switch (kind.textValue()) {
            case "add" -> insert(root, path, required(op, "value"));
            case "remove" -> delete(root, path);
            case "replace" -> {
                delete(root, path);
                insert(root, path, required(op, "value"));
            }
            case "move" -> {
                List<JsonNode> from = path(required(op, "from"));
                JsonNode chunk = at(root[0], from);
                delete(root, from);
                insert(root, path, chunk);
            }
            case "copy" -> insert(root, path, copy(at(root[0], path(required(op, "from")))));
            case "test" -> {
                if (RegoOrder.INSTANCE.compare(at(root[0], path), required(op, "value")) != 0) {
                    throw new BuiltinError(NAME, "value from EditTree != patch value");
                }
            }
            default -> throw new BuiltinError(NAME, "unrecognized op: '" + kind.textValue() + "'");
        }
    }

    private static JsonNode required(JsonNode op, String attribute) {
        JsonNode v = op.get(attribute);
        if (v == null) {
            throw new BuiltinError(NAME, "missing required attribute '" + attribute + "'");
        }
        return v;
    }

    /** A JSON pointer ("" is the root; "~1" and "~0" unescaped) or an array of segments. */
    private static List<JsonNode> path(JsonNode p) {
        List<JsonNode> segments = new ArrayList<>();
        if (p.isTextual()) {
            if (p.textValue().isEmpty()) {
                return segments;
            }
            String s = p.textValue().replaceFirst("^/+", "");
            for (String part : s.split("/", -1)) {
                segments.add(Operands.text(part.replace("~1", "/").replace("~0", "~")));
            }
        } else if (p.isArray() && !(p instanceof SetNode)) {
            p.forEach(segments::add);
        } else {
            throw new BuiltinError(NAME, "path must be a string or an array of path segments");
        }
        return segments;
    }

    private static JsonNode at(JsonNode root, List<JsonNode> path) {
        JsonNode node = root;
        if (node == null) {
            throw new BuiltinError(NAME, "the document was removed");
        }
        for (JsonNode segment : path) {
            node = child(node, segment);
        }
        return node;
    }

    private static JsonNode child(JsonNode node, JsonNode segment) {
        if (node instanceof SetNode set) {
            return set.get(indexInSet(set, segment));
        }
        if (node.isArray()) {
            int i = index(node.size(), segment);
            if (i < 0 || i >= node.size()) {
                throw new BuiltinError(NAME, "index out of bounds");
            }
            return node.get(i);
        }
        if (node.isObject()) {
            JsonNode v = segment.isTextual() ? node.get(segment.textValue()) : null;
            if (v == null) {
                throw new BuiltinError(NAME, "key not found");
            }
            return v;
        }
        throw new BuiltinError(NAME, "expected composite type, found a scalar");
    }

    private static void insert(JsonNode[] root, List<JsonNode> path, JsonNode value) {
        if (path.isEmpty()) {
            root[0] = copy(value);
            return;
        }
        JsonNode parent = at(root[0], path.subList(0, path.size() - 1));
        JsonNode key = path.get(path.size() - 1);
        if (parent instanceof SetNode set) {
            if (RegoOrder.INSTANCE.compare(key, value) != 0) {
                throw new BuiltinError(NAME, "set key does not equal value to be inserted");
            }
            set.add(copy(value));
            set.normalize();
        } else if (parent.isArray()) {
            int i = index(parent.size(), key);
            if (i < 0 || i > parent.size()) {
                throw new BuiltinError(NAME, "index for array insertion out of bounds");
            }
            ((ArrayNode) parent).insert(i, copy(value));
        } else if (parent.isObject()) {
            if (!key.isTextual()) {
                throw new BuiltinError(NAME, "object keys must be strings");
            }
            ((ObjectNode) parent).set(key.textValue(), copy(value));
        } else {
            throw new BuiltinError(NAME, "expected composite type, found a scalar");
        }
    }

    private static void delete(JsonNode[] root, List<JsonNode> path) {
        if (path.isEmpty()) {
            if (root[0] == null) {
                throw new BuiltinError(NAME, "deleted node encountered during delete operation");
            }
            root[0] = null;
            return;
        }
        JsonNode parent = at(root[0], path.subList(0, path.size() - 1));
        JsonNode key = path.get(path.size() - 1);
        if (parent instanceof SetNode set) {
            set.remove(indexInSet(set, key));
        } else if (parent.isArray()) {
            int i = index(parent.size(), key);
            if (i < 0 || i >= parent.size()) {
                throw new BuiltinError(NAME, "index out of bounds");
            }
            ((ArrayNode) parent).remove(i);
        } else if (parent.isObject()) {
            if (!key.isTextual() || !parent.has(key.textValue())) {
                throw new BuiltinError(NAME, "key not found");
            }
            ((ObjectNode) parent).remove(key.textValue());
        } else {
            throw new BuiltinError(NAME, "expected composite type, found a scalar");
        }
    }

    private static int indexInSet(SetNode set, JsonNode element) {
        for (int i = 0; i < set.size(); i++) {
            if (RegoOrder.INSTANCE.compare(set.get(i), element) == 0) {
                return i;
            }
        }
        throw new BuiltinError(NAME, "element not in set");
    }

    /** An array index: a number, "-" for the end, or a decimal string without leading zeros. */
    private static int index(int length, JsonNode segment) {
        BigDecimal n;
        if (segment.isNumber()) {
            n = segment.decimalValue();
        } else if (segment.isTextual()) {
            String s = segment.textValue();
            if (s.equals("-")) {
                return length;
            }
            if (!s.matches("-?[0-9]+")) {
                throw new BuiltinError(NAME, "invalid string for indexing");
            }
            if (!s.equals("0") && s.startsWith("0")) {
                throw new BuiltinError(NAME, "leading zeros are not allowed in JSON paths");
            }
            n = new BigDecimal(s);
        } else {
            throw new BuiltinError(NAME, "invalid type for indexing");
        }
        try {
            return n.intValueExact();
        } catch (ArithmeticException e) {
            throw new BuiltinError(NAME, "invalid number for indexing");
        }
    }

    /** A deep copy that keeps sets as sets. */
    private static JsonNode copy(JsonNode v) {
        if (v instanceof SetNode set) {
            SetNode out = new SetNode();
            set.forEach(item -> out.add(copy(item)));
            return out;
        }
        if (v.isArray()) {
            ArrayNode out = Operands.array();
            v.forEach(item -> out.add(copy(item)));
            return out;
        }
        if (v.isObject()) {
            ObjectNode out = Operands.NODES.objectNode();
            v.fields().forEachRemaining(f -> out.set(f.getKey(), copy(f.getValue())));
            return out;
        }
        return v;
    }
}
