package dev.redline.pdp.server.engine.builtins;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code semver.is_valid} and {@code semver.compare} by OPA's own SemVer rules (its
 * internal/semver, which accepts a leading {@code v}); a general SemVer library would differ
 * from them at the edges, so they are written out here.
 */
final class SemverBuiltins {
    private static final Pattern IDENTIFIERS = Pattern.compile("[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*");

    private SemverBuiltins() {}

    record Version(long major, long minor, long patch, String preRelease) {}

    static void addTo(Map<String, HostFunction.Body> builtins) {
        builtins.put("semver.is_valid", ops -> Operands.bool(ops[0].isTextual() && parse(ops[0].textValue()) != null));
        builtins.put("semver.compare", ops -> {
            Version a = parse(Operands.string("semver.compare", ops, 0));
            Version b = parse(Operands.string("semver.compare", ops, 1));
            if (a == null || b == null) {
                throw new BuiltinError("semver.compare", "operand " + (a == null ? 1 : 2) + " is not a valid SemVer");
            }
            return Operands.integerNode(compare(a, b));
        });
    }

    static Version parse(String text) {
        String v = text.startsWith("v") ? text.substring(1) : text;
        int plus = v.indexOf('+');
        if (plus >= 0) {
            if (!IDENTIFIERS.matcher(v.substring(plus + 1)).matches()) {
                return null;
            }
            v = v.substring(0, plus);
        }
        String pre = "";
        int dash = v.indexOf('-');
        if (dash >= 0) {
            pre = v.substring(dash + 1);
            if (!IDENTIFIERS.matcher(pre).matches()) {
                return null;
            }
            for (String id : pre.split("\\.")) {
                if (id.length() > 1 && id.charAt(0) == '0' && allDigits(id)) {
                    return null;
                }
            }
            v = v.substring(0, dash);
        }
        String[] parts = v.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        long[] numbers = new long[3];
        for (int i = 0; i < 3; i++) {
            String p = parts[i];
            if (p.isEmpty() || (p.length() > 1 && p.charAt(0) == '0') || !allDigits(p)) {
                return null;
            }
            try {
                numbers[i] = Long.parseLong(p);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return new Version(numbers[0], numbers[1], numbers[2], pre);
    }

    private static boolean allDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    static int compare(Version a, Version b) {
        int c = Long.compare(a.major(), b.major());
        c = c != 0 ? c : Long.compare(a.minor(), b.minor());
        c = c != 0 ? c : Long.compare(a.patch(), b.patch());
        if (c != 0) {
            return Integer.signum(c);
        }
        if (a.preRelease().equals(b.preRelease())) {
            return 0;
        }
        if (a.preRelease().isEmpty() || b.preRelease().isEmpty()) {
            return a.preRelease().isEmpty() ? 1 : -1;
        }
        String[] x = a.preRelease().split("\\.");
        String[] y = b.preRelease().split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            boolean xi = allDigits(x[i]);
            boolean yi = allDigits(y[i]);
            if (xi != yi) {
                return xi ? -1 : 1;
            }
            int d = xi ? new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i])) : x[i].compareTo(y[i]);
            if (d != 0) {
                return Integer.signum(d);
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
