package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/** {@code sprintf}, {@code strings.*} affix matching and counting, {@code indexof_n}, {@code glob.quote_meta}, as OPA's topdown. */
final class StringBuiltins {
    private StringBuiltins() {}

    static void addTo(Map<String, HostFunction.Body> builtins) {
        builtins.put("sprintf", StringBuiltins::sprintf);
        builtins.put("strings.any_prefix_match", ops -> anyAffix("strings.any_prefix_match", ops, String::startsWith));
        builtins.put("strings.any_suffix_match", ops -> anyAffix("strings.any_suffix_match", ops, String::endsWith));
        builtins.put("strings.count", StringBuiltins::count);
        builtins.put("indexof_n", StringBuiltins::indexOfN);
        builtins.put("strings.split_n", StringBuiltins::splitN);
        builtins.put("glob.quote_meta", ops -> Operands.text(quoteMeta(Operands.string("glob.quote_meta", ops, 0))));
    }

    /** The first n parts (n > 0), the last -n parts (n < 0), or none; the parts as Go's strings.Split cuts them. */
    private static JsonNode splitN(JsonNode[] ops) {
        String text = Operands.string("strings.split_n", ops, 0);
        String delimiter = Operands.string("strings.split_n", ops, 1);
        long n = Operands.integer("strings.split_n", ops, 2);
        List<String> parts = n >= 0 ? goSplit(text, delimiter, n + 1 < 0 ? -1 : n + 1) : goSplit(text, delimiter, -1);
        List<String> chosen = n >= 0 ? parts.subList(0, (int) Math.min(n, parts.size()))
                : parts.subList((int) Math.max(parts.size() + n, 0), parts.size());
        ArrayNode out = Operands.array();
        chosen.forEach(p -> out.add(Operands.text(p)));
        return out;
    }

    /** Go's strings.SplitN: at most limit parts (all when limit < 0), the last holding the rest; "" splits into characters. */
    static List<String> goSplit(String s, String sep, long limit) {
        List<String> parts = new ArrayList<>();
        if (limit == 0) {
            return parts;
        }
        int i = 0;
        while (i < s.length() && (limit < 0 || parts.size() < limit - 1)) {
            int next;
            int skip;
            if (sep.isEmpty()) {
                next = s.offsetByCodePoints(i, 1);
                skip = 0;
            } else {
                next = s.indexOf(sep, i);
                if (next < 0) {
                    break;
                }
                skip = sep.length();
            }
            parts.add(s.substring(i, next));
            i = next + skip;
        }
        if (!sep.isEmpty() || i < s.length()) {
            parts.add(s.substring(i));
        }
        return parts;
    }

    /** gobwas/glob's QuoteMeta: a backslash before each of {@code *?\[]{}}. */
    private static String quoteMeta(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            if ("*?\\[]{}".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** OPA hands Go's fmt an int64 or big.Int for an integer, a float64 for a fraction, a string, or a value's Rego text. */
    static JsonNode sprintf(JsonNode[] ops) {
        String format = Operands.string("sprintf", ops, 0);
        if (!ops[1].isArray() || ops[1] instanceof SetNode) {
            throw new BuiltinError("sprintf", "operand 2 must be array");
        }
        List<Object> args = new ArrayList<>();
        for (JsonNode a : ops[1]) {
            if (a.isNumber()) {
                args.add(goNumber(a));
            } else if (a.isTextual()) {
                args.add(a.textValue());
            } else {
                args.add(ValueText.print(a));
            }
        }
        return Operands.text(GoFormat.sprintf(format, args));
    }

    private static Object goNumber(JsonNode n) {
        String text = n.toString();
        if (!n.isIntegralNumber()) {
            double d = n.doubleValue();
            return Double.isInfinite(d) ? text : (Object) d; // beyond float64, OPA formats the number's text
        }
        BigInteger i = n.bigIntegerValue();
        return i.bitLength() < 64 ? (Object) i.longValue() : i;
    }

    private static JsonNode anyAffix(String name, JsonNode[] ops, BiPredicate<String, String> match) {
        List<String> search = Operands.strings(name, ops, 0);
        List<String> bases = Operands.strings(name, ops, 1);
        for (String s : search) {
            for (String base : bases) {
                if (match.test(s, base)) {
                    return Operands.bool(true);
                }
            }
        }
        return Operands.bool(false);
    }

    private static JsonNode count(JsonNode[] ops) {
        String s = Operands.string("strings.count", ops, 0);
        String sub = Operands.string("strings.count", ops, 1);
        if (sub.isEmpty()) {
            return Operands.integerNode(s.codePointCount(0, s.length()) + 1L);
        }
        long n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return Operands.integerNode(n);
    }

    /** Every index, in characters (code points), at which the search string starts, overlaps included. */
    private static JsonNode indexOfN(JsonNode[] ops) {
        String s = Operands.string("indexof_n", ops, 0);
        String search = Operands.string("indexof_n", ops, 1);
        if (search.isEmpty()) {
            throw new BuiltinError("indexof_n", "empty search character");
        }
        ArrayNode out = Operands.array();
        for (int at = s.indexOf(search); at >= 0; at = s.indexOf(search, at + 1)) {
            out.add(Operands.integerNode(s.codePointCount(0, at)));
        }
        return out;
    }
}
