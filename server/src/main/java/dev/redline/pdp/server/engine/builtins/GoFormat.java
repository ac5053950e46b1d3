package dev.redline.pdp.server.engine.builtins;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/**
 * Go's {@code fmt.Sprintf} for the operands OPA's {@code sprintf} hands it: {@code int64} (Long),
 * {@code *big.Int} (BigInteger), {@code float64} (Double) and {@code string} (String; OPA passes
 * every other value as its Rego text). Flags {@code +-# 0}, width, precision and the verbs
 * {@code v d s q f F e E g G x X o b c t}; a verb that does not fit its operand is written as Go
 * writes it ({@code %!d(string=a)}), and so are missing and extra operands.
 */
final class GoFormat {
    private GoFormat() {}

    static String sprintf(String format, List<Object> args) {
        StringBuilder out = new StringBuilder();
        int argIndex = 0;
        int i = 0;
        int n = format.length();
        while (i < n) {
            char c = format.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            i++;
            if (i >= n) {
                out.append("%!(NOVERB)");
                break;
            }
            Spec spec = new Spec();
            for (; i < n; i++) {
                char f = format.charAt(i);
                if (f == '+') {
                    spec.plus = true;
                } else if (f == '-') {
                    spec.minus = true;
                } else if (f == '#') {
                    spec.sharp = true;
                } else if (f == ' ') {
                    spec.space = true;
                } else if (f == '0') {
                    spec.zero = true;
                } else {
                    break;
                }
            }
            int start = i;
            while (i < n && Character.isDigit(format.charAt(i))) {
                i++;
            }
            if (i > start) {
                spec.width = Integer.parseInt(format.substring(start, i));
            }
            if (i < n && format.charAt(i) == '.') {
                i++;
                start = i;
                while (i < n && Character.isDigit(format.charAt(i))) {
                    i++;
                }
                spec.precision = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
            }
            if (i >= n) {
                out.append("%!(NOVERB)");
                break;
            }
            char verb = format.charAt(i++);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (argIndex >= args.size()) {
                out.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            out.append(format(spec, verb, args.get(argIndex++)));
        }
        if (argIndex < args.size()) {
            out.append("%!(EXTRA ");
            for (int k = argIndex; k < args.size(); k++) {
                out.append(k == argIndex ? "" : ", ").append(typeName(args.get(k))).append('=')
                        .append(format(new Spec(), 'v', args.get(k)));
            }
            out.append(')');
        }
        return out.toString();
    }

    private static final class Spec {
        boolean plus;
        boolean minus;
        boolean sharp;
        boolean space;
        boolean zero;
        int width = -1;
        int precision = -1;

        /** The same flags and width: a float's precision has shaped its digits already. */
        Spec withoutPrecision() {
            Spec copy = new Spec();
            copy.plus = plus;
            copy.minus = minus;
            copy.sharp = sharp;
            copy.space = space;
            copy.zero = zero;
            copy.width = width;
            return copy;
        }
    }

    private static String typeName(Object arg) {
        if (arg instanceof Long) {
            return "int64";
        }
        if (arg instanceof BigInteger) {
            return "*big.Int";
        }
        if (arg instanceof Double) {
            return "float64";
        }
        return "string";
    }

    private static String bad(char verb, Object arg) {
        return "%!" + verb + "(" + typeName(arg) + "=" + format(new Spec(), 'v', arg) + ")";
    }

    private static String format(Spec spec, char verb, Object arg) {
        if (arg instanceof Long || arg instanceof BigInteger) {
            BigInteger v = arg instanceof Long l ? BigInteger.valueOf(l) : (BigInteger) arg;
            switch (verb) {
                case 'v', 'd':
                    return number(spec, v.signum() < 0, v.abs().toString());
                case 's':
                    // big.Int formats itself, %s as %d; an int64 has no %s
                    return arg instanceof BigInteger ? number(spec, v.signum() < 0, v.abs().toString()) : bad(verb, arg);
                case 'x':
                    return number(spec, v.signum() < 0, (spec.sharp ? "0x" : "") + v.abs().toString(16));
                case 'X':
                    return number(spec, v.signum() < 0, (spec.sharp ? "0X" : "") + v.abs().toString(16).toUpperCase());
                case 'o':
                    return number(spec, v.signum() < 0, (spec.sharp ? "0" : "") + v.abs().toString(8));
                case 'b':
                    return number(spec, v.signum() < 0, v.abs().toString(2));
                case 'c':
                    return pad(spec, new String(Character.toChars(v.intValue())));
                case 'q':
                    return pad(spec, "'" + new String(Character.toChars(v.intValue())) + "'");
                case 'e', 'E', 'f', 'F', 'g', 'G':
                    return arg instanceof Long ? floating(spec, verb, v.doubleValue()) : bad(verb, arg);
                default:
                    return bad(verb, arg);
            }
        }
        if (arg instanceof Double d) {
            switch (verb) {
                case 'v':
                    return floating(spec, 'g', d);
                case 'e', 'E', 'f', 'F', 'g', 'G':
                    return floating(spec, verb, d);
                default:
                    return bad(verb, arg);
            }
        }
        String s = (String) arg;
        switch (verb) {
            case 'v', 's':
                return pad(spec, spec.precision >= 0 && spec.precision < s.codePointCount(0, s.length())
                        ? s.substring(0, s.offsetByCodePoints(0, spec.precision)) : s);
            case 'q':
                return pad(spec, quote(s));
            case 'x', 'X': {
                StringBuilder hex = new StringBuilder();
                for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    hex.append(String.format(verb == 'x' ? "%02x" : "%02X", b & 0xff));
                }
                return pad(spec, hex.toString());
            }
            default:
                return bad(verb, arg);
        }
    }

    private static String number(Spec spec, boolean negative, String digits) {
        String sign = negative ? "-" : spec.plus ? "+" : spec.space ? " " : "";
        if (spec.precision >= 0 && digits.length() < spec.precision) {
            digits = "0".repeat(spec.precision - digits.length()) + digits;
        }
        if (spec.zero && !spec.minus && spec.precision < 0 && spec.width > sign.length() + digits.length()) {
            digits = "0".repeat(spec.width - sign.length() - digits.length()) + digits;
        }
        return pad(spec, sign + digits);
    }

    private static String pad(Spec spec, String s) {
        int len = s.codePointCount(0, s.length());
        if (spec.width <= len) {
            return s;
        }
        String fill = " ".repeat(spec.width - len);
        return spec.minus ? s + fill : fill + s;
    }

    /** Go's %e, %f and %g (shortest digits when no precision is given, as %v prints a float). */
    static String floating(Spec spec, char verb, double d) {
        if (Double.isNaN(d)) {
            return pad(spec, "NaN");
        }
        if (Double.isInfinite(d)) {
            return pad(spec, d > 0 ? (spec.plus ? "+Inf" : "Inf") : "-Inf");
        }
        boolean negative = d < 0 || (d == 0 && 1 / d < 0);
        BigDecimal v = new BigDecimal(Double.toString(Math.abs(d)));
        String body;
        switch (verb) {
            case 'f', 'F':
                body = v.setScale(spec.precision < 0 ? 6 : spec.precision, RoundingMode.HALF_EVEN).toPlainString();
                break;
            case 'e', 'E':
                body = exponent(v, spec.precision < 0 ? 6 : spec.precision, verb == 'E');
                break;
            default:
                body = general(v, spec.precision, verb == 'G');
        }
        return number(spec.withoutPrecision(), negative, body);
    }

    private static String exponent(BigDecimal v, int precision, boolean upper) {
        if (v.signum() == 0) {
            return (precision > 0 ? "0." + "0".repeat(precision) : "0") + (upper ? "E+00" : "e+00");
        }
        BigDecimal rounded = v.round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
        int exp = rounded.precision() - rounded.scale() - 1;
        String digits = rounded.unscaledValue().toString();
        digits = (digits + "0".repeat(precision + 1)).substring(0, precision + 1);
        String mantissa = precision > 0 ? digits.charAt(0) + "." + digits.substring(1) : digits.substring(0, 1);
        return mantissa + exponentSuffix(exp, upper);
    }

    private static String exponentSuffix(int exp, boolean upper) {
        String e = String.valueOf(Math.abs(exp));
        return (upper ? "E" : "e") + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
    }

    /** %g: shortest digits (precision -1, exponent from 1e+06 on, as Go), else {@code precision} significant digits. */
    private static String general(BigDecimal v, int precision, boolean upper) {
        if (v.signum() == 0) {
            return "0";
        }
        BigDecimal digits = precision < 0 ? v.stripTrailingZeros()
                : v.round(new MathContext(precision == 0 ? 1 : precision, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        int exp = digits.precision() - digits.scale() - 1;
        int threshold = precision < 0 ? 6 : (precision == 0 ? 1 : precision);
        if (exp < -4 || exp >= threshold) {
            String unscaled = digits.unscaledValue().toString();
            String mantissa = unscaled.length() > 1 ? unscaled.charAt(0) + "." + unscaled.substring(1) : unscaled;
            return mantissa + exponentSuffix(exp, upper);
        }
        return digits.toPlainString();
    }

    /** Go's strconv.Quote. */
    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                case '\r' -> q.append("\\r");
                case 7 -> q.append("\\a");
                case 8 -> q.append("\\b");
                case 12 -> q.append("\\f");
                case 11 -> q.append("\\v");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        q.append(String.format("\\x%02x", cp));
                    } else {
                        q.appendCodePoint(cp);
                    }
                }
            }
        });
        return q.append('"').toString();
    }
}
