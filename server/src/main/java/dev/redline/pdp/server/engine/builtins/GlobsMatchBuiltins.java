package dev.redline.pdp.server.engine.builtins;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code regex.globs_match}: whether two glob-like patterns can match one common string, decided
 * as OPA's dependency yashtewari/glob-intersection decides it. A pattern is a sequence of tokens
 * (a character, {@code .} for any character, or a {@code [...]} set with ranges), each optionally
 * followed by {@code +} or {@code *}; {@code \} escapes the next character. The tokenizer's
 * refusals carry that library's texts and rune positions, since OPA returns them as they are.
 */
final class GlobsMatchBuiltins {
    private static final String INVALID = "the input provided is invalid";

    private GlobsMatchBuiltins() {}

    static void addTo(Map<String, HostFunction.Body> builtins) {
        builtins.put("regex.globs_match", ops -> {
            String name = "regex.globs_match";
            List<Token> first = Tokenizer.glob(Operands.string(name, ops, 0));
            List<Token> second = Tokenizer.glob(Operands.string(name, ops, 1));
            return Operands.bool(nonEmpty(first, second));
        });
    }

    enum Flag { NONE, PLUS, STAR }

    /** A character ({@code runes} of one), any character ({@code runes} null), or a set of characters. */
    record Token(Kind kind, Set<Integer> runes, Flag flag) {
        enum Kind { CHARACTER, DOT, SET }

        Token withFlag(Flag f) {
            return new Token(kind, runes, f);
        }

        /** The same token barring its flag. */
        boolean sameAs(Token other) {
            return kind == other.kind && (kind == Kind.DOT || runes.equals(other.runes));
        }

        /** Whether some one character matches both tokens. */
        boolean overlaps(Token other) {
            if (kind == Kind.DOT || other.kind == Kind.DOT) {
                return true;
            }
            for (int r : runes) {
                if (other.runes.contains(r)) {
                    return true;
                }
            }
            return false;
        }
    }

    static boolean nonEmpty(List<Token> g1, List<Token> g2) {
        // Trim the flag-free ends both globs must match token by token, keeping one token of context.
        int l = 0;
        while (l < g1.size() && l < g2.size() && g1.get(l).flag() == Flag.NONE && g2.get(l).flag() == Flag.NONE) {
            if (!g1.get(l).overlaps(g2.get(l))) {
                return false;
            }
            l++;
        }
        if (l > 0) {
            l--;
        }
        int r1 = g1.size() - 1;
        int r2 = g2.size() - 1;
        while (r1 >= 0 && r1 >= l && r2 >= 0 && r2 >= l && g1.get(r1).flag() == Flag.NONE && g2.get(r2).flag() == Flag.NONE) {
            if (!g1.get(r1).overlaps(g2.get(r2))) {
                return false;
            }
            r1--;
            r2--;
        }
        if (r1 < g1.size() - 1) {
            r1++;
            r2++;
        }
        return normal(g1.subList(l, r1 + 1), g2.subList(l, r2 + 1));
    }

    private static boolean normal(List<Token> g1, List<Token> g2) {
        int i = 0;
        for (; i < g1.size() && i < g2.size(); i++) {
            if (g1.get(i).flag() != Flag.NONE || g2.get(i).flag() != Flag.NONE) {
                return special(g1.subList(i, g1.size()), g2.subList(i, g2.size()));
            }
            if (!g1.get(i).overlaps(g2.get(i))) {
                return false;
            }
        }
        return i == g1.size() && i == g2.size();
    }

    private static boolean special(List<Token> g1, List<Token> g2) {
        List<Token> flagged = g1.get(0).flag() != Flag.NONE ? g1 : g2;
        List<Token> other = flagged == g1 ? g2 : g1;
        return flagged.get(0).flag() == Flag.PLUS ? plus(flagged, other) : star(flagged, other);
    }

    private static boolean plus(List<Token> plussed, List<Token> other) {
        if (!plussed.get(0).overlaps(other.get(0))) {
            return false;
        }
        if (star(plussed, other.subList(1, other.size()))) {
            return true;
        }
        return other.get(0).flag() != Flag.NONE && normal(plussed.subList(1, plussed.size()), other);
    }

    private static boolean star(List<Token> starred, List<Token> other) {
        Token starToken = starred.get(0);
        Token next = starred.size() > 1 ? starred.get(1) : null;
        for (int i = 0; i < other.size(); i++) {
            Token t = other.get(i);
            if (next != null && t.overlaps(next) && normal(starred.subList(1, starred.size()), other.subList(i, other.size()))) {
                return true;
            }
            if (!t.overlaps(starToken)) {
                return false;
            }
        }
        return next == null;
    }

    /** glob-intersection's tokenizer over the pattern's runes, then its simplification of repeated flagged tokens. */
    private static final class Tokenizer {
        private final int[] input;
        private int index;

        private Tokenizer(String pattern) {
            this.input = pattern.codePoints().toArray();
        }

        static List<Token> glob(String pattern) {
            Tokenizer t = new Tokenizer(pattern);
            List<Token> tokens = new ArrayList<>();
            while (t.index < t.input.length) {
                tokens.add(t.next());
            }
            return simplify(tokens);
        }

        private Token next() {
            boolean escaped = input[index] == '\\';
            int r = rune();
            Token token;
            if (escaped) {
                token = character(r);
            } else if (r == '.') {
                token = new Token(Token.Kind.DOT, null, Flag.NONE);
            } else if (r == ']') {
                throw refused("set-close ']' with no preceding '['");
            } else if (r == '[') {
                token = set();
            } else if (r == '+' || r == '*') {
                throw refused("flag '" + Character.toString(r) + "' must be preceded by a non-flag");
            } else {
                token = character(r);
            }
            if (index < input.length && input[index] != '\\' && (input[index] == '+' || input[index] == '*')) {
                token = token.withFlag(input[index] == '+' ? Flag.PLUS : Flag.STAR);
                index++;
            } else if (index == input.length - 1 && input[index] == '\\') {
                rune(); // a trailing escape is refused even where a flag may stand
            }
            return token;
        }

        private Token set() {
            Set<Integer> runes = new TreeSet<>();
            int prev = 0;
            boolean prevExists = false;
            while (index < input.length) {
                boolean escaped = input[index] == '\\';
                int r = rune();
                if (escaped) {
                    runes.add(r);
                    prev = r;
                    prevExists = true;
                } else if (r == ']') {
                    return new Token(Token.Kind.SET, runes, Flag.NONE);
                } else if (r == '-') {
                    if (!prevExists) {
                        throw refused("range character '-' must be preceded by a Unicode character");
                    }
                    if (index >= input.length - 1) {
                        throw refused("range character '-' must be followed by a Unicode character");
                    }
                    boolean endEscaped = input[index] == '\\';
                    int end = rune();
                    if (!endEscaped && (end == ']' || end == '-')) {
                        throw refused("range character '-' cannot be followed by a special symbol");
                    }
                    if (end < prev) {
                        throw refused("range is out of order: '" + Character.toString(end) + "' comes before '"
                                + Character.toString(prev) + "' in Unicode");
                    }
                    for (int x = prev; x <= end; x++) {
                        runes.add(x);
                    }
                    prevExists = false;
                } else {
                    runes.add(r);
                    prev = r;
                    prevExists = true;
                }
            }
            throw refused("found [ without matching ]");
        }

        /** The next rune, a backslash taking the rune after it as a literal. */
        private int rune() {
            if (input[index] == '\\') {
                if (index == input.length - 1) {
                    throw new BuiltinError("regex.globs_match", "input:" + text() + ", pos:" + index
                            + ", input ends with a \\ (escape) character: " + INVALID);
                }
                index += 2;
                return input[index - 1];
            }
            return input[index++];
        }

        private BuiltinError refused(String what) {
            return new BuiltinError("regex.globs_match", "input:" + text() + ", pos:" + index + ", " + what + ": " + INVALID);
        }

        private String text() {
            return new String(input, 0, input.length);
        }

        private static Token character(int r) {
            return new Token(Token.Kind.CHARACTER, Set.of(r), Flag.NONE);
        }

        /** Adjacent flagged tokens that are the same token become one: + if either is +, else *. */
        private static List<Token> simplify(List<Token> tokens) {
            List<Token> simple = new ArrayList<>();
            for (Token t : tokens) {
                Token latest = simple.isEmpty() ? null : simple.get(simple.size() - 1);
                if (latest != null && t.flag() != Flag.NONE && latest.flag() != Flag.NONE && t.sameAs(latest)) {
                    Flag merged = t.flag() == Flag.PLUS || latest.flag() == Flag.PLUS ? Flag.PLUS : Flag.STAR;
                    simple.set(simple.size() - 1, latest.withFlag(merged));
                } else {
                    simple.add(t);
                }
            }
            return simple;
        }
    }
}
