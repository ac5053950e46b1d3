package dev.redline.pdp.server.engine;

import dev.redline.pdp.server.engine.builtins.ValueText;

/**
 * Turns OPA's value dump of a result set ({@code opa_eval} with {@code want_value}) into compact
 * JSON with every set an array in OPA's sorted order, as OPA itself returns sets; the JSON dump
 * would give them in the Wasm heap's hash order. An object key that is not a string becomes the
 * JSON text of the key, as the JSON dump writes it.
 *
 * <p>A result holding no set and no non-string key, the usual case, is only copied without the
 * dump's spaces; the tree is built only when there is a set to sort.
 */
final class ResultJson {
    private ResultJson() {}

    static byte[] fromValueDump(byte[] dump) {
        return needsTree(dump) ? ValueText.toJson(ValueText.parse(dump)) : withoutSpaces(dump);
    }

    /** True when the dump has a set, or an object key that is not a string. */
    static boolean needsTree(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            byte c = b[i];
            if (c == '"') {
                i = endOfString(b, i) - 1;
            } else if (c == 's') {
                return true; // "set()": every other bare word is true, false or null
            } else if (c == '{') {
                int j = skipSpaces(b, i + 1);
                if (j < b.length && b[j] == '}') {
                    continue;
                }
                if (j >= b.length || b[j] != '"') {
                    return true;
                }
                j = skipSpaces(b, endOfString(b, j));
                if (j >= b.length || b[j] != ':') {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] withoutSpaces(byte[] b) {
        byte[] out = new byte[b.length];
        int n = 0;
        for (int i = 0; i < b.length; i++) {
            byte c = b[i];
            if (c == '"') {
                int end = endOfString(b, i);
                System.arraycopy(b, i, out, n, end - i);
                n += end - i;
                i = end - 1;
            } else if (c != ' ' && c != '\n' && c != '\t' && c != '\r') {
                out[n++] = c;
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    private static int endOfString(byte[] b, int start) {
        int i = start + 1;
        while (i < b.length) {
            if (b[i] == '\\') {
                i += 2;
            } else if (b[i] == '"') {
                return i + 1;
            } else {
                i++;
            }
        }
        return b.length;
    }

    private static int skipSpaces(byte[] b, int i) {
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r')) {
            i++;
        }
        return i;
    }
}
