package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code regex.replace}, {@code regex.split} and {@code regex.find_n} with Go's regexp semantics
 * on Java's engine: RE2's {@code (?P<name>)} groups, "all" matching that skips an empty match
 * abutting the previous one, Go's Split and Go's {@code $name}/{@code ${name}} expansion.
 * ({@code regex.match} and friends are compiled into the Wasm.)
 */
final class RegexBuiltins {
    private RegexBuiltins() {}

    static void addTo(Map<String, HostFunction.Body> builtins) {
        builtins.put("regex.replace", ops -> {
            String base = Operands.string("regex.replace", ops, 0);
            Pattern re = compile(Operands.string("regex.replace", ops, 1));
            String template = Operands.string("regex.replace", ops, 2);
            StringBuilder out = new StringBuilder();
            int last = 0;
            for (Matcher m : matches(re, base, -1)) {
                out.append(base, last, m.start());
                expand(template, m, out);
                last = m.end();
            }
            return Operands.text(out.append(base.substring(last)).toString());
        });
        builtins.put("regex.split", ops -> split(compile(Operands.string("regex.split", ops, 0)),
                Operands.string("regex.split", ops, 1)));
        builtins.put("regex.find_n", ops -> {
            Pattern re = compile(Operands.string("regex.find_n", ops, 0));
            String s = Operands.string("regex.find_n", ops, 1);
            long n = Operands.integer("regex.find_n", ops, 2);
            ArrayNode out = Operands.array();
            for (Matcher m : matches(re, s, n)) {
                out.add(Operands.text(m.group()));
            }
            return out;
        });
    }

    private static Pattern compile(String re2) {
        return Pattern.compile(re2.replace("(?P<", "(?<"));
    }

    /** Go's FindAll: successive matches, at most n (all when n < 0), an empty one abutting the last match skipped. */
    private static List<Matcher> matches(Pattern re, String s, long n) {
        List<Matcher> out = new ArrayList<>();
        Matcher m = re.matcher(s);
        int previousEnd = -1;
        while ((n < 0 || out.size() < n) && m.find()) {
            if (m.start() == m.end() && m.start() == previousEnd) {
                continue;
            }
            previousEnd = m.end();
            Matcher snapshot = re.matcher(s);
            snapshot.find(m.start());
            out.add(snapshot);
        }
        return out;
    }

    private static JsonNode split(Pattern re, String s) {
        ArrayNode out = Operands.array();
        if (s.isEmpty()) {
            out.add(Operands.text(""));
            return out;
        }
        int begin = 0;
        int end = 0;
        for (Matcher m : matches(re, s, -1)) {
            end = m.start();
            if (m.end() != 0) {
                out.add(Operands.text(s.substring(begin, end)));
            }
            begin = m.end();
        }
        if (end != s.length()) {
            out.add(Operands.text(s.substring(begin)));
        }
        return out;
    }

    /** Go's Regexp.Expand: $1, $name (the longest run of letters, digits and _), ${name}, $$; unknown groups expand to nothing. */
    private static void expand(String template, Matcher m, StringBuilder out) {
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 >= template.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = template.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            String name;
            int after;
            if (next == '{') {
                int close = template.indexOf('}', i + 2);
                if (close < 0) {
                    out.append(c);
                    i++;
                    continue;
                }
                name = template.substring(i + 2, close);
                after = close + 1;
            } else {
                int j = i + 1;
                while (j < template.length() && (Character.isLetterOrDigit(template.charAt(j)) || template.charAt(j) == '_')) {
                    j++;
                }
                if (j == i + 1) {
                    out.append(c);
                    i++;
                    continue;
                }
                name = template.substring(i + 1, j);
                after = j;
            }
            out.append(group(m, name));
            i = after;
        }
    }

    private static String group(Matcher m, String name) {
        String value = null;
        if (name.chars().allMatch(Character::isDigit)) {
            try {
                int index = Integer.parseInt(name);
                value = index <= m.groupCount() ? m.group(index) : null;
            } catch (NumberFormatException e) {
                value = null;
            }
        } else {
            try {
                value = m.group(name);
            } catch (IllegalArgumentException e) {
                value = null; // no group of that name
            }
        }
        return value == null ? "" : value;
    }
}
