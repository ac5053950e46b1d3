package dev.redline.pdp.server.engine.builtins;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Go's {@code time.ParseDuration} ({@code "1h30m"}, {@code "-1.5s"}, {@code "300ms"}), with OPA's
 * extra units d (24h), w (7d) and y (365d), in nanoseconds.
 */
final class GoDuration {
    private static final Map<String, BigDecimal> UNIT_NANOS = Map.ofEntries(
            Map.entry("ns", BigDecimal.ONE),
            Map.entry("us", BigDecimal.valueOf(1_000L)),
            Map.entry("µs", BigDecimal.valueOf(1_000L)),
            Map.entry("μs", BigDecimal.valueOf(1_000L)),
            Map.entry("ms", BigDecimal.valueOf(1_000_000L)),
            Map.entry("s", BigDecimal.valueOf(1_000_000_000L)),
            Map.entry("m", BigDecimal.valueOf(60_000_000_000L)),
            Map.entry("h", BigDecimal.valueOf(3_600_000_000_000L)),
            Map.entry("d", BigDecimal.valueOf(24 * 3_600_000_000_000L)),
            Map.entry("w", BigDecimal.valueOf(7 * 24 * 3_600_000_000_000L)),
            Map.entry("y", BigDecimal.valueOf(365 * 24 * 3_600_000_000_000L)));

    private GoDuration() {}

    static long parse(String s) {
        String rest = s;
        boolean negative = false;
        if (rest.startsWith("-") || rest.startsWith("+")) {
            negative = rest.charAt(0) == '-';
            rest = rest.substring(1);
        }
        if (rest.equals("0")) {
            return 0;
        }
        if (rest.isEmpty()) {
            throw invalid(s);
        }
        BigDecimal total = BigDecimal.ZERO;
        int i = 0;
        while (i < rest.length()) {
            int start = i;
            while (i < rest.length() && (Character.isDigit(rest.charAt(i)) || rest.charAt(i) == '.')) {
                i++;
            }
            String number = rest.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw invalid(s);
            }
            int unitStart = i;
            while (i < rest.length() && !Character.isDigit(rest.charAt(i)) && rest.charAt(i) != '.') {
                i++;
            }
            BigDecimal unit = UNIT_NANOS.get(rest.substring(unitStart, i));
            if (unit == null) {
                throw new BuiltinError("time.parse_duration_ns", (unitStart == i ? "missing unit" : "unknown unit "
                        + GoFormat.quote(rest.substring(unitStart, i))) + " in duration " + GoFormat.quote(s));
            }
            total = total.add(new BigDecimal(number.endsWith(".") ? number + "0" : number).multiply(unit));
        }
        total = negative ? total.negate() : total;
        try {
            return total.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
        } catch (ArithmeticException e) {
            throw invalid(s);
        }
    }

    private static BuiltinError invalid(String s) {
        return new BuiltinError("time.parse_duration_ns", "invalid duration " + GoFormat.quote(s));
    }
}
