package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;

/** {@code object.subset} (topdown/subset.go) and {@code numbers.range_step} (topdown/numbers.go). */
final class CollectionBuiltins {
    private CollectionBuiltins() {}

    static void addTo(Map<String, HostFunction.Body> builtins) {
        builtins.put("object.subset", CollectionBuiltins::subset);
        builtins.put("numbers.range_step", CollectionBuiltins::rangeStep);
    }

    private static JsonNode subset(JsonNode[] ops) {
        JsonNode sup = ops[0];
        JsonNode sub = ops[1];
        if (sup.isObject() && sub.isObject()) {
            return Operands.bool(objectSubset(sup, sub));
        }
        if (sup instanceof SetNode && sub instanceof SetNode) {
            return Operands.bool(setSubset(sup, sub));
        }
        if (isArray(sup) && isArray(sub)) {
            return Operands.bool(arraySubset(sup, sub));
        }
        if (isArray(sup) && sub instanceof SetNode) {
            return Operands.bool(arraySetSubset(sup, sub));
        }
        throw new BuiltinError("object.subset", "both arguments object.subset must be of the same type or array and set");
    }

    private static boolean isArray(JsonNode v) {
        return v.isArray() && !(v instanceof SetNode);
    }

    private static boolean equal(JsonNode a, JsonNode b) {
        return RegoOrder.INSTANCE.compare(a, b) == 0;
    }

    private static boolean objectSubset(JsonNode sup, JsonNode sub) {
        for (Iterator<Map.Entry<String, JsonNode>> it = sub.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode s = sup.get(e.getKey());
            JsonNode v = e.getValue();
            if (s == null) {
                return false;
            }
            if (equal(s, v)) {
                continue;
            }
            boolean ok;
            if (s.isObject() && v.isObject()) {
                ok = objectSubset(s, v);
            } else if (s instanceof SetNode && v instanceof SetNode) {
                ok = setSubset(s, v);
            } else if (isArray(s) && isArray(v)) {
                ok = arraySubset(s, v);
            } else {
                ok = false;
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(JsonNode collection, JsonNode item) {
        for (JsonNode x : collection) {
            if (equal(x, item)) {
                return true;
            }
        }
        return false;
    }

    private static boolean setSubset(JsonNode sup, JsonNode sub) {
        for (JsonNode x : sub) {
            if (!contains(sup, x)) {
                return false;
            }
        }
        return true;
    }

    /** The sub-array appears in the super-array as a contiguous run. */
    private static boolean arraySubset(JsonNode sup, JsonNode sub) {
        if (sub.size() > sup.size()) {
            return false;
        }
        for (int start = 0; start + sub.size() <= sup.size(); start++) {
            int k = 0;
            while (k < sub.size() && equal(sup.get(start + k), sub.get(k))) {
                k++;
            }
            if (k == sub.size()) {
                return true;
            }
        }
        return false;
    }

    /** As OPA counts it: true once as many elements of the array are in the set as the set has. */
    private static boolean arraySetSubset(JsonNode sup, JsonNode sub) {
        int unmatched = sub.size();
        for (JsonNode x : sup) {
            if (contains(sub, x)) {
                unmatched--;
            }
            if (unmatched == 0) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode rangeStep(JsonNode[] ops) {
        BigInteger from = bigInteger(ops, 0);
        BigInteger to = bigInteger(ops, 1);
        BigInteger step = bigInteger(ops, 2);
        if (step.signum() <= 0) {
            throw new BuiltinError("numbers.range_step", "step must be a positive integer");
        }
        ArrayNode out = Operands.array();
        boolean up = from.compareTo(to) <= 0;
        for (BigInteger i = from; up ? i.compareTo(to) <= 0 : i.compareTo(to) >= 0; i = up ? i.add(step) : i.subtract(step)) {
            out.add(Operands.NODES.numberNode(i));
        }
        return out;
    }

    private static BigInteger bigInteger(JsonNode[] ops, int index) {
        JsonNode n = Operands.number("numbers.range_step", ops, index);
        try {
            return n.decimalValue().toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new BuiltinError("numbers.range_step", "operand " + (index + 1) + " must be integer number but got"
                    + " floating-point number");
        }
    }
}
