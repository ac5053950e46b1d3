package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Checks an operand's type as OPA's builtins do, naming the builtin and the operand when it is wrong. */
final class Operands {
    static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private Operands() {}

    static String string(String builtin, JsonNode[] ops, int index) {
        JsonNode v = ops[index];
        if (!v.isTextual()) {
            throw new BuiltinError(builtin, "operand " + (index + 1) + " must be string");
        }
        return v.textValue();
    }

    static JsonNode number(String builtin, JsonNode[] ops, int index) {
        JsonNode v = ops[index];
        if (!v.isNumber()) {
            throw new BuiltinError(builtin, "operand " + (index + 1) + " must be number");
        }
        return v;
    }

    static long integer(String builtin, JsonNode[] ops, int index) {
        JsonNode v = number(builtin, ops, index);
        try {
            return v.decimalValue().longValueExact();
        } catch (ArithmeticException e) {
            throw new BuiltinError(builtin, "operand " + (index + 1) + " must be integer number");
        }
    }

    static JsonNode object(String builtin, JsonNode[] ops, int index) {
        JsonNode v = ops[index];
        if (!v.isObject()) {
            throw new BuiltinError(builtin, "operand " + (index + 1) + " must be object");
        }
        return v;
    }

    /** The strings of a string, or of an array or set of strings. */
    static List<String> strings(String builtin, JsonNode[] ops, int index) {
        JsonNode v = ops[index];
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            out.add(v.textValue());
            return out;
        }
        if (!v.isArray()) {
            throw new BuiltinError(builtin, "operand " + (index + 1) + " must be one of {string, array, set}");
        }
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw new BuiltinError(builtin, "operand " + (index + 1) + " must contain strings only");
            }
            out.add(item.textValue());
        }
        return out;
    }

    static JsonNode text(String s) {
        return NODES.textNode(s);
    }

    static JsonNode bool(boolean b) {
        return NODES.booleanNode(b);
    }

    static JsonNode integerNode(long n) {
        return NODES.numberNode(BigInteger.valueOf(n));
    }

    static ArrayNode array() {
        return NODES.arrayNode();
    }
}
