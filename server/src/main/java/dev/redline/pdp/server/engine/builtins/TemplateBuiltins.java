package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code strings.render_template}: Go's text/template executed over the variables object, as OPA
 * runs it. The subset policies use is provided: text, comments, {@code {{- -}}} trimming, field
 * chains on {@code .}, {@code $} and {@code $var}, {@code if}/{@code else if}/{@code else},
 * {@code range} (with {@code $v :=} or {@code $i, $v :=}, and {@code else}), {@code with}, pipes
 * ({@code |}), parenthesized pipelines and the functions {@code eq ne not and or len index}. Values print as Go's {@code %v} prints what OPA
 * hands the template (numbers in their JSON text, arrays as {@code [a b]}, objects as
 * {@code map[k:v]}); a missing key prints {@code <no value>}, which OPA rewrites to
 * {@code <undefined>}. Any other construct is refused, naming it.
 */
final class TemplateBuiltins {
    private static final String NAME = "strings.render_template";
    private static final java.util.Set<String> FUNCTIONS = java.util.Set.of("not", "and", "or", "eq", "ne", "len", "index");

    private TemplateBuiltins() {}

    static void addTo(Map<String, HostFunction.Body> builtins) {
        builtins.put(NAME, ops -> {
            String template = Operands.string(NAME, ops, 0);
            JsonNode variables = Operands.object(NAME, ops, 1);
            if (containsSet(variables)) {
                throw new BuiltinError(NAME, "template variables must be JSON: a set cannot be passed");
            }
            List<Node> nodes = new Parser(template).parse();
            StringBuilder out = new StringBuilder();
            new Execution(out).run(nodes, variables, new HashMap<>(Map.of("$", Value.of(variables))));
            return Operands.text(out.toString().replace("<no value>", "<undefined>"));
        });
    }

    private static boolean containsSet(JsonNode v) {
        if (v instanceof SetNode) {
            return true;
        }
        for (JsonNode child : v) {
            if (containsSet(child)) {
                return true;
            }
        }
        return false;
    }

    // ---- values ----

    /** A value in the template: a JSON node, or Go's invalid value (a missing key), held as null. */
    record Value(JsonNode node) {
        static final Value MISSING = new Value(null);

        static Value of(JsonNode node) {
            return node == null ? MISSING : new Value(node);
        }

        /** Go template truth: false, 0, nil and empty strings, arrays and maps are false. */
        boolean truth() {
            if (node == null) {
                return false;
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            if (node.isNumber()) {
                return node.decimalValue().signum() != 0;
            }
            if (node.isTextual()) {
                return !node.textValue().isEmpty();
            }
            return node.size() > 0;
        }

        /** Go's %v of the value OPA decoded from JSON: json.Number text, []any and map[string]any. */
        String print() {
            if (node == null || node.isNull()) {
                return "<no value>";
            }
            StringBuilder out = new StringBuilder();
            printInto(node, out);
            return out.toString();
        }

        private static void printInto(JsonNode v, StringBuilder out) {
            if (v.isNull()) {
                out.append("<nil>");
            } else if (v.isTextual()) {
                out.append(v.textValue());
            } else if (v.isNumber() || v.isBoolean()) {
                out.append(v.asText());
            } else if (v.isArray()) {
                out.append('[');
                int i = 0;
                for (JsonNode item : v) {
                    out.append(i++ == 0 ? "" : " ");
                    printInto(item, out);
                }
                out.append(']');
            } else {
                out.append("map[");
                int i = 0;
                for (Map.Entry<String, JsonNode> e : sortedFields(v).entrySet()) {
                    out.append(i++ == 0 ? "" : " ").append(e.getKey()).append(':');
                    printInto(e.getValue(), out);
                }
                out.append(']');
            }
        }
    }

    private static TreeMap<String, JsonNode> sortedFields(JsonNode object) {
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        object.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    // ---- syntax ----

    sealed interface Node permits Text, Action, If, Range, With {}

    record Text(String text) implements Node {}

    record Action(Pipeline pipeline) implements Node {}

    record If(Pipeline condition, List<Node> then, List<Node> otherwise) implements Node {}

    record Range(Pipeline over, List<Node> body, List<Node> otherwise) implements Node {}

    record With(Pipeline value, List<Node> body, List<Node> otherwise) implements Node {}

    /** {@code $a, $b := command}, or a command alone; a command is a function and its arguments, or one operand. */
    record Pipeline(List<String> declared, List<String> words) {}

    /** Splits the template into text and actions, then nests the actions' blocks. */
    private static final class Parser {
        private final String src;
        private int pos;
        private final List<Object> items = new ArrayList<>();
        private int next;

        Parser(String src) {
            this.src = src;
        }

        List<Node> parse() {
            lex();
            List<Node> nodes = new ArrayList<>();
            List<String> end = block(nodes);
            if (end != null) {
                throw refused("unexpected {{" + String.join(" ", end) + "}}");
            }
            return nodes;
        }

        /** Text pieces as Strings, actions as List&lt;String&gt; of their words. */
        private void lex() {
            StringBuilder text = new StringBuilder();
            while (pos < src.length()) {
                int open = src.indexOf("{{", pos);
                if (open < 0) {
                    text.append(src, pos, src.length());
                    break;
                }
                text.append(src, pos, open);
                int inner = open + 2;
                if (src.startsWith("- ", inner) || src.startsWith("-\t", inner) || src.startsWith("-\n", inner)
                        || src.startsWith("-\r", inner)) {
                    stripTrailingSpace(text);
                    inner += 2;
                }
                int close = closing(inner);
                int innerEnd = close;
                int after = close + 2;
                if (close - 2 >= inner && src.charAt(close - 1) == '-' && Character.isWhitespace(src.charAt(close - 2))) {
                    innerEnd = close - 1;
                    after = skipSpace(after);
                }
                items.add(text.toString());
                text.setLength(0);
                String body = src.substring(inner, innerEnd).strip();
                if (!(body.startsWith("/*") && body.endsWith("*/"))) {
                    items.add(words(body));
                }
                pos = after;
            }
            items.add(text.toString());
        }

        private int closing(int from) {
            int i = from;
            while (i < src.length()) {
                char c = src.charAt(i);
                if (c == '"' || c == '`') {
                    int end = src.indexOf(c, i + 1);
                    while (c == '"' && end > 0 && src.charAt(end - 1) == '\\') {
                        end = src.indexOf(c, end + 1);
                    }
                    if (end < 0) {
                        throw refused("unterminated quoted string");
                    }
                    i = end + 1;
                } else if (src.startsWith("}}", i)) {
                    return i;
                } else {
                    i++;
                }
            }
            throw refused("unclosed action");
        }

        private static void stripTrailingSpace(StringBuilder text) {
            int end = text.length();
            while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
                end--;
            }
            text.setLength(end);
        }

        private int skipSpace(int from) {
            int i = from;
            while (i < src.length() && Character.isWhitespace(src.charAt(i))) {
                i++;
            }
            return i;
        }

        /** An action's words: quoted strings kept whole with their quotes, ',' and ':=' as their own words. */
        private List<String> words(String body) {
            List<String> out = new ArrayList<>();
            int i = 0;
            while (i < body.length()) {
                char c = body.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '"' || c == '`') {
                    int end = body.indexOf(c, i + 1);
                    while (c == '"' && end > 0 && body.charAt(end - 1) == '\\') {
                        end = body.indexOf(c, end + 1);
                    }
                    out.add(body.substring(i, end + 1));
                    i = end + 1;
                } else if (c == ',') {
                    out.add(",");
                    i++;
                } else if (body.startsWith(":=", i)) {
                    out.add(":=");
                    i += 2;
                } else if (c == '(' || c == ')' || c == '|') {
                    out.add(String.valueOf(c));
                    i++;
                } else if (c == '=') {
                    throw refused("assignment to a variable ('=') is not supported");
                } else {
                    int start = i;
                    while (i < body.length() && !Character.isWhitespace(body.charAt(i)) && ",\"`()|".indexOf(body.charAt(i)) < 0
                            && !body.startsWith(":=", i)) {
                        i++;
                    }
                    out.add(body.substring(start, i));
                }
            }
            if (out.isEmpty()) {
                throw refused("missing value for command");
            }
            return out;
        }

        /** Reads nodes up to an end or else; returns that action's words, or null at the end of the template. */
        @SuppressWarnings("unchecked")
        private List<String> block(List<Node> into) {
            while (next < items.size()) {
                Object item = items.get(next++);
                if (item instanceof String text) {
                    if (!text.isEmpty()) {
                        into.add(new Text(text));
                    }
                    continue;
                }
                List<String> words = (List<String>) item;
                switch (words.get(0)) {
                    case "end", "else" -> {
                        return words;
                    }
                    case "if" -> into.add(ifNode(words.subList(1, words.size())));
                    case "range" -> {
                        List<Node> body = new ArrayList<>();
                        List<Node> otherwise = new ArrayList<>();
                        blockWithElse(body, otherwise, "range");
                        into.add(new Range(pipeline(words.subList(1, words.size())), body, otherwise));
                    }
                    case "with" -> {
                        List<Node> body = new ArrayList<>();
                        List<Node> otherwise = new ArrayList<>();
                        blockWithElse(body, otherwise, "with");
                        into.add(new With(pipeline(words.subList(1, words.size())), body, otherwise));
                    }
                    case "define", "template", "block", "break", "continue", "nil" ->
                            throw refused("{{" + words.get(0) + "}} is not supported");
                    default -> into.add(new Action(pipeline(words)));
                }
            }
            return null;
        }

        private If ifNode(List<String> condition) {
            List<Node> then = new ArrayList<>();
            List<Node> otherwise = new ArrayList<>();
            List<String> end = block(then);
            if (end == null) {
                throw refused("unexpected EOF in if");
            }
            if (end.size() > 2 && end.get(0).equals("else") && end.get(1).equals("if")) {
                otherwise.add(ifNode(end.subList(2, end.size())));
            } else if (end.equals(List.of("else"))) {
                if (!List.of("end").equals(block(otherwise))) {
                    throw refused("expected end after else in if");
                }
            } else if (!end.equals(List.of("end"))) {
                throw refused("unexpected {{" + String.join(" ", end) + "}} in if");
            }
            return new If(pipeline(condition), then, otherwise);
        }

        private void blockWithElse(List<Node> body, List<Node> otherwise, String keyword) {
            List<String> end = block(body);
            if (List.of("else").equals(end)) {
                end = block(otherwise);
            }
            if (!List.of("end").equals(end)) {
                throw refused(end == null ? "unexpected EOF in " + keyword
                        : "unexpected {{" + String.join(" ", end) + "}} in " + keyword);
            }
        }

        private Pipeline pipeline(List<String> words) {
            int assign = words.indexOf(":=");
            if (assign < 0) {
                if (words.isEmpty()) {
                    throw refused("missing value for command");
                }
                return new Pipeline(List.of(), List.copyOf(words));
            }
            List<String> declared = new ArrayList<>();
            for (String w : words.subList(0, assign)) {
                if (w.equals(",")) {
                    continue;
                }
                if (!w.startsWith("$")) {
                    throw refused("unexpected \"" + w + "\" in declaration");
                }
                declared.add(w);
            }
            if (declared.isEmpty() || declared.size() > 2 || assign + 1 >= words.size()) {
                throw refused("bad declaration");
            }
            return new Pipeline(declared, List.copyOf(words.subList(assign + 1, words.size())));
        }
    }

    // ---- execution ----

    private static final class Execution {
        private final StringBuilder out;

        Execution(StringBuilder out) {
            this.out = out;
        }

        void run(List<Node> nodes, JsonNode dot, Map<String, Value> vars) {
            for (Node n : nodes) {
                if (n instanceof Text t) {
                    out.append(t.text());
                } else if (n instanceof Action a) {
                    Value v = evaluate(a.pipeline(), dot, vars);
                    if (a.pipeline().declared().isEmpty()) {
                        out.append(v.print());
                    }
                } else if (n instanceof If f) {
                    Map<String, Value> inner = scope(vars);
                    run(evaluate(f.condition(), dot, inner).truth() ? f.then() : f.otherwise(), dot, inner);
                } else if (n instanceof With w) {
                    Map<String, Value> inner = scope(vars);
                    Value v = evaluate(w.value(), dot, inner);
                    run(v.truth() ? w.body() : w.otherwise(), v.truth() ? v.node() : dot, inner);
                } else if (n instanceof Range r) {
                    range(r, dot, vars);
                }
            }
        }

        private static Map<String, Value> scope(Map<String, Value> vars) {
            return new HashMap<>(vars);
        }

        private void range(Range r, JsonNode dot, Map<String, Value> vars) {
            Pipeline p = r.over();
            Value over = command(p.words(), dot, vars);
            if (over.node() == null || over.node().isEmpty()) {
                if (over.node() != null && !over.node().isContainerNode()) {
                    throw refused("range can't iterate over " + over.print());
                }
                run(r.otherwise(), dot, scope(vars));
                return;
            }
            JsonNode node = over.node();
            if (!node.isContainerNode()) {
                throw refused("range can't iterate over " + over.print());
            }
            Iterator<Map.Entry<String, JsonNode>> entries = node.isObject()
                    ? sortedFields(node).entrySet().iterator() : null;
            for (int i = 0; i < node.size(); i++) {
                JsonNode key;
                JsonNode element;
                if (entries != null) {
                    Map.Entry<String, JsonNode> e = entries.next();
                    key = Operands.text(e.getKey());
                    element = e.getValue();
                } else {
                    key = Operands.integerNode(i);
                    element = node.get(i);
                }
                Map<String, Value> inner = scope(vars);
                if (p.declared().size() == 1) {
                    inner.put(p.declared().get(0), Value.of(element));
                } else if (p.declared().size() == 2) {
                    inner.put(p.declared().get(0), Value.of(key));
                    inner.put(p.declared().get(1), Value.of(element));
                }
                run(r.body(), element, inner);
            }
        }

        private Value evaluate(Pipeline p, JsonNode dot, Map<String, Value> vars) {
            Value v = command(p.words(), dot, vars);
            if (p.declared().size() == 1) {
                vars.put(p.declared().get(0), v);
            } else if (p.declared().size() > 1) {
                throw refused("too many declarations in command");
            }
            return v;
        }

        /** Commands joined by '|', each result passed as the last argument of the next. */
        private Value command(List<String> tokens, JsonNode dot, Map<String, Value> vars) {
            Value piped = null;
            for (List<String> command : split(tokens, "|")) {
                if (command.isEmpty()) {
                    throw refused("missing command");
                }
                List<List<String>> groups = split(command, null);
                List<String> head = groups.get(0);
                List<Value> args = new ArrayList<>();
                for (List<String> group : groups.subList(1, groups.size())) {
                    args.add(argument(group, dot, vars));
                }
                if (piped != null) {
                    args.add(piped);
                }
                if (head.size() == 1 && FUNCTIONS.contains(head.get(0))) {
                    piped = call(head.get(0), args);
                } else if (!args.isEmpty()) {
                    throw refused(head.size() == 1 && !head.get(0).startsWith(".") && !head.get(0).startsWith("$")
                            ? "function \"" + head.get(0) + "\" is not supported" : "can't give argument to non-function");
                } else {
                    piped = argument(head, dot, vars);
                }
            }
            return piped;
        }

        /**
         * The top-level parts of tokens: split at each separator, or, when separator is null, into
         * single words and whole parenthesized groups.
         */
        private static List<List<String>> split(List<String> tokens, String separator) {
            List<List<String>> parts = new ArrayList<>();
            List<String> current = new ArrayList<>();
            int depth = 0;
            for (String t : tokens) {
                if (t.equals(")") && --depth < 0) {
                    throw refused("unexpected right paren");
                }
                if (depth == 0 && separator != null && t.equals(separator)) {
                    parts.add(current);
                    current = new ArrayList<>();
                    continue;
                }
                current.add(t);
                if (t.equals("(")) {
                    depth++;
                }
                if (separator == null && depth == 0) {
                    parts.add(current);
                    current = new ArrayList<>();
                }
            }
            if (depth != 0) {
                throw refused("unclosed left paren");
            }
            if (separator != null || !current.isEmpty()) {
                parts.add(current);
            }
            return parts;
        }

        /** One word, or a parenthesized pipeline. */
        private Value argument(List<String> group, JsonNode dot, Map<String, Value> vars) {
            if (group.get(0).equals("(")) {
                if (!group.get(group.size() - 1).equals(")") || group.size() == 2) {
                    throw refused("missing value for parenthesized pipeline");
                }
                return command(group.subList(1, group.size() - 1), dot, vars);
            }
            if (FUNCTIONS.contains(group.get(0))) {
                return call(group.get(0), List.of());
            }
            return operand(group.get(0), dot, vars);
        }

        private static Value call(String function, List<Value> args) {
            return switch (function) {
                case "not" -> bool(!arity(function, args, 1).get(0).truth());
                case "and", "or" -> {
                    atLeast(function, args, 1);
                    Value last = null;
                    for (Value v : args) {
                        last = v;
                        if (v.truth() == function.equals("or")) {
                            break;
                        }
                    }
                    yield last;
                }
                case "eq", "ne" -> {
                    atLeast(function, args, 2);
                    boolean equal = false;
                    for (Value other : args.subList(1, args.size())) {
                        equal |= same(args.get(0), other);
                    }
                    yield bool(function.equals("eq") == equal);
                }
                case "len" -> {
                    JsonNode v = arity(function, args, 1).get(0).node();
                    if (v == null || v.isNull() || !(v.isContainerNode() || v.isTextual())) {
                        throw refused("error calling len: len of " + (v == null || v.isNull() ? "nil pointer" : "type " + goType(v)));
                    }
                    yield Value.of(Operands.integerNode(v.isTextual()
                            ? v.textValue().getBytes(java.nio.charset.StandardCharsets.UTF_8).length : v.size()));
                }
                default -> {
                    atLeast(function, args, 1);
                    Value v = args.get(0);
                    for (Value key : args.subList(1, args.size())) {
                        v = index(v, key);
                    }
                    yield v;
                }
            };
        }

        private static List<Value> arity(String function, List<Value> args, int n) {
            if (args.size() != n) {
                throw refused("wrong number of args for " + function + ": want " + n + " got " + args.size());
            }
            return args;
        }

        private static void atLeast(String function, List<Value> args, int n) {
            if (args.size() < n) {
                throw refused("wrong number of args for " + function + ": want at least " + n + " got " + args.size());
            }
        }

        private Value operand(String word, JsonNode dot, Map<String, Value> vars) {
            if (word.startsWith("\"") || word.startsWith("`")) {
                String body = word.substring(1, word.length() - 1);
                return Value.of(Operands.text(word.startsWith("`") ? body : unquote(body)));
            }
            if (word.equals("true") || word.equals("false")) {
                return bool(word.equals("true"));
            }
            if (!word.isEmpty() && (Character.isDigit(word.charAt(0)) || word.charAt(0) == '-')) {
                try {
                    return Value.of(Operands.NODES.numberNode(new java.math.BigDecimal(word)));
                } catch (NumberFormatException e) {
                    throw refused("bad number syntax: \"" + word + "\"");
                }
            }
            Value base;
            String chain;
            if (word.startsWith(".")) {
                base = Value.of(dot);
                chain = word;
            } else if (word.startsWith("$")) {
                int dotAt = word.indexOf('.');
                String name = dotAt < 0 ? word : word.substring(0, dotAt);
                if (!vars.containsKey(name)) {
                    throw refused("undefined variable \"" + name + "\"");
                }
                base = vars.get(name);
                chain = dotAt < 0 ? "" : word.substring(dotAt);
            } else {
                throw refused("function \"" + word + "\" is not supported");
            }
            if (chain.isEmpty() || chain.equals(".")) {
                return base;
            }
            Value v = base;
            for (String field : chain.substring(1).split("\\.", -1)) {
                v = field(v, field, word);
            }
            return v;
        }

        /** A map's key: a missing key is Go's invalid value, a field of null or of a non-map an error. */
        private static Value field(Value receiver, String name, String word) {
            JsonNode node = receiver.node();
            if (node == null) {
                return Value.MISSING;
            }
            if (node.isNull()) {
                throw refused("executing at <" + word + ">: nil pointer evaluating interface {}." + name);
            }
            if (!node.isObject()) {
                throw refused("executing at <" + word + ">: can't evaluate field " + name + " in type " + goType(node));
            }
            JsonNode child = node.get(name);
            return child == null ? Value.MISSING : new Value(child);
        }

        private static Value index(Value v, Value key) {
            JsonNode node = v.node();
            if (node == null || node.isNull()) {
                throw refused("error calling index: index of untyped nil");
            }
            JsonNode k = key.node();
            if (node.isObject() && k != null && k.isTextual()) {
                return Value.of(node.get(k.textValue()));
            }
            if (node.isArray() && k != null && k.canConvertToExactIntegral()) {
                int i = k.intValue();
                if (i < 0 || i >= node.size()) {
                    throw refused("error calling index: index out of range: " + i);
                }
                return Value.of(node.get(i));
            }
            throw refused("error calling index: cannot index " + goType(node) + " with " + (k == null ? "nil" : k.asText()));
        }

        private static boolean same(Value a, Value b) {
            if (a.node() == null || b.node() == null) {
                throw refused("error calling eq: invalid type for comparison");
            }
            if (a.node().isNumber() && b.node().isNumber()) {
                return a.node().decimalValue().compareTo(b.node().decimalValue()) == 0;
            }
            if (a.node().isContainerNode() || b.node().isContainerNode()) {
                throw refused("error calling eq: non-comparable types");
            }
            return a.node().equals(b.node());
        }

        private static Value bool(boolean b) {
            return Value.of(Operands.bool(b));
        }

        private static String unquote(String body) {
            return body.replace("\\\"", "\"").replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\");
        }
    }

    /** Go's type name for what OPA decodes from JSON. */
    private static String goType(JsonNode v) {
        if (v.isNumber()) {
            return "json.Number";
        }
        if (v.isTextual()) {
            return "string";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        if (v.isArray()) {
            return "[]interface {}";
        }
        return v.isNull() ? "interface {}" : "map[string]interface {}";
    }

    private static BuiltinError refused(String what) {
        return new BuiltinError(NAME, "template: " + what);
    }
}
