package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;

/**
 * {@code units.parse} and {@code units.parse_bytes}, as OPA's topdown/parse_units.go and
 * parse_bytes.go: SI and binary suffixes, quotes ignored, no spaces, exponents of at most six digits.
 */
final class UnitsBuiltins {
    private static final int MAX_EXPONENT_DIGITS = 6;

    private UnitsBuiltins() {}

    static void addTo(Map<String, HostFunction.Body> builtins) {
        builtins.put("units.parse", UnitsBuiltins::parse);
        builtins.put("units.parse_bytes", UnitsBuiltins::parseBytes);
    }

    private static JsonNode parse(JsonNode[] ops) {
        String s = Operands.string("units.parse", ops, 0).replace("\"", "");
        String[] numAndUnit = split("units.parse", s);
        String unit = numAndUnit[1];
        if (unit.length() > 1) {
            unit = unit.charAt(0) + unit.substring(1).toLowerCase(Locale.ROOT);
        }
        BigDecimal factor = switch (unit) {
            case "m" -> new BigDecimal("0.001");
            case "" -> BigDecimal.ONE;
            case "k", "K" -> BigDecimal.TEN.pow(3);
            case "ki", "Ki" -> BigDecimal.valueOf(2).pow(10);
            case "M" -> BigDecimal.TEN.pow(6);
            case "mi", "Mi" -> BigDecimal.valueOf(2).pow(20);
            case "g", "G" -> BigDecimal.TEN.pow(9);
            case "gi", "Gi" -> BigDecimal.valueOf(2).pow(30);
            case "t", "T" -> BigDecimal.TEN.pow(12);
            case "ti", "Ti" -> BigDecimal.valueOf(2).pow(40);
            case "p", "P" -> BigDecimal.TEN.pow(15);
            case "pi", "Pi" -> BigDecimal.valueOf(2).pow(50);
            case "e", "E" -> BigDecimal.TEN.pow(18);
            case "ei", "Ei" -> BigDecimal.valueOf(2).pow(60);
            default -> throw new BuiltinError("units.parse", "unit " + unit + " not recognized");
        };
        BigDecimal value = number("units.parse", numAndUnit[0]).multiply(factor);
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() <= 0) {
            return Operands.NODES.numberNode(stripped.toBigIntegerExact());
        }
        // OPA prints a fraction with ten decimals (big.Rat.FloatString(10))
        return Operands.NODES.numberNode(value.setScale(10, RoundingMode.HALF_UP));
    }

    private static JsonNode parseBytes(JsonNode[] ops) {
        String s = Operands.string("units.parse_bytes", ops, 0).toLowerCase(Locale.ROOT).replace("\"", "");
        String[] numAndUnit = split("units.parse_bytes", s);
        BigInteger factor = switch (numAndUnit[1]) {
            case "" -> BigInteger.ONE;
            case "kb", "k" -> BigInteger.TEN.pow(3);
            case "kib", "ki" -> BigInteger.TWO.pow(10);
            case "mb", "m" -> BigInteger.TEN.pow(6);
            case "mib", "mi" -> BigInteger.TWO.pow(20);
            case "gb", "g" -> BigInteger.TEN.pow(9);
            case "gib", "gi" -> BigInteger.TWO.pow(30);
            case "tb", "t" -> BigInteger.TEN.pow(12);
            case "tib", "ti" -> BigInteger.TWO.pow(40);
            case "pb", "p" -> BigInteger.TEN.pow(15);
            case "pib", "pi" -> BigInteger.TWO.pow(50);
            case "eb", "e" -> BigInteger.TEN.pow(18);
            case "eib", "ei" -> BigInteger.TWO.pow(60);
            default -> throw new BuiltinError("units.parse_bytes", "byte unit " + numAndUnit[1] + " not recognized");
        };
        BigDecimal value = number("units.parse_bytes", numAndUnit[0]).multiply(new BigDecimal(factor));
        return Operands.NODES.numberNode(value.setScale(0, RoundingMode.DOWN).toBigIntegerExact());
    }

    private static BigDecimal number(String builtin, String text) {
        try {
            return new BigDecimal(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
            throw new BuiltinError(builtin, "could not parse amount to a number");
        }
    }

    /** The amount and the unit, split where the number ends (OPA's extractNumAndUnit). */
    private static String[] split(String builtin, String s) {
        if (s.contains(" ")) {
            throw new BuiltinError(builtin, "spaces not allowed in resource strings");
        }
        int firstNonNum = -1;
        for (int idx = 0; idx < s.length(); idx++) {
            char r = s.charAt(idx);
            boolean num = Character.isDigit(r) || r == '.';
            if (!num && r != 'e' && r != 'E' && r != '+' && r != '-') {
                firstNonNum = idx;
                break;
            }
            if (r == 'e' || r == 'E') {
                if (idx == s.length() - 1 || (!Character.isDigit(s.charAt(idx + 1)) && s.charAt(idx + 1) != '+'
                        && s.charAt(idx + 1) != '-')) {
                    firstNonNum = idx;
                    break;
                }
                if (s.charAt(idx + 1) == '+' || s.charAt(idx + 1) == '-') {
                    idx++;
                }
                int end = idx + 1;
                while (end < s.length() && Character.isDigit(s.charAt(end))) {
                    end++;
                }
                if (end - (idx + 1) > MAX_EXPONENT_DIGITS) {
                    throw new BuiltinError(builtin, "exponent too large");
                }
            }
        }
        String[] parts = firstNonNum == -1 ? new String[] {s, ""}
                : new String[] {s.substring(0, firstNonNum), s.substring(firstNonNum)};
        if (parts[0].isEmpty()) {
            throw new BuiltinError(builtin, "no amount provided");
        }
        return parts;
    }
}
