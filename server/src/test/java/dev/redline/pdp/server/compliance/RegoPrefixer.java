package dev.redline.pdp.server.compliance;

/**
 * Moves a compliance case's Rego under a namespace of its own, so many cases share one bundle:
 * {@code package a.b} becomes {@code package <ns>.a.b} and every reference to the root document
 * {@code data} becomes {@code data.<ns>}. Strings, raw strings and comments are left alone, and so
 * is a field named {@code data} ({@code input.data}).
 */
final class RegoPrefixer {
    private final String namespace;

    RegoPrefixer(String namespace) {
        this.namespace = namespace;
    }

    String rewrite(String rego) {
        StringBuilder out = new StringBuilder(rego.length() + 64);
        int i = 0;
        int n = rego.length();
        boolean afterPackageKeyword = false;
        while (i < n) {
            char c = rego.charAt(i);
            if (c == '#') {
                int end = rego.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(rego, i, end);
                i = end;
            } else if (c == '$' && i + 1 < n && (rego.charAt(i + 1) == '"' || rego.charAt(i + 1) == '`')) {
                i = appendTemplate(rego, i, out);
            } else if (c == '"') {
                int end = endOfString(rego, i);
                out.append(rego, i, end);
                i = end;
            } else if (c == '`') {
                int end = rego.indexOf('`', i + 1);
                end = end < 0 ? n : end + 1;
                out.append(rego, i, end);
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i;
                while (end < n && (Character.isLetterOrDigit(rego.charAt(end)) || rego.charAt(end) == '_')) {
                    end++;
                }
                String word = rego.substring(i, end);
                boolean field = previousNonSpace(rego, i) == '.';
                if (afterPackageKeyword) {
                    out.append(namespace).append('.').append(word);
                    afterPackageKeyword = false;
                } else if (word.equals("data") && !field) {
                    out.append("data.").append(namespace);
                } else {
                    out.append(word);
                    afterPackageKeyword = word.equals("package") && !field && atLineStart(rego, i)
                            && end < n && Character.isWhitespace(rego.charAt(end));
                }
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** A template string: its text stays, the expressions in its braces are rewritten. */
    private int appendTemplate(String s, int start, StringBuilder out) {
        char quote = s.charAt(start + 1);
        out.append(s, start, start + 2);
        int i = start + 2;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && quote == '"') {
                out.append(s, i, Math.min(s.length(), i + 2));
                i += 2;
            } else if (c == quote) {
                out.append(c);
                return i + 1;
            } else if (c == '{') {
                int depth = 1;
                int j = i + 1;
                while (j < s.length() && depth > 0) {
                    char d = s.charAt(j);
                    depth += d == '{' ? 1 : d == '}' ? -1 : 0;
                    j++;
                }
                out.append('{').append(rewrite(s.substring(i + 1, j - 1))).append('}');
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return i;
    }

    private static int endOfString(String s, int start) {
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '"') {
                return i + 1;
            } else {
                i++;
            }
        }
        return s.length();
    }

    private static char previousNonSpace(String s, int i) {
        for (int j = i - 1; j >= 0; j--) {
            char c = s.charAt(j);
            if (c != ' ' && c != '\t') {
                return c;
            }
        }
        return '\n';
    }

    private static boolean atLineStart(String s, int i) {
        char before = previousNonSpace(s, i);
        return before == '\n' || before == '\r';
    }
}
