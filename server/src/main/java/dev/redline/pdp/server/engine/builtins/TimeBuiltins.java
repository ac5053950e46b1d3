package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * {@code time.*} as OPA's topdown/time.go: nanoseconds since the epoch, in UTC or the IANA zone
 * given as {@code [ns, "zone"]}; {@code add_date} and {@code diff} normalise dates as Go does.
 * {@code time.parse_ns} and {@code time.format} take Go layouts and are not provided yet.
 */
final class TimeBuiltins {
    private static final BigInteger MIN_NS = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX_NS = BigInteger.valueOf(Long.MAX_VALUE);

    private TimeBuiltins() {}

    static void addTo(Map<String, HostFunction.Body> builtins, EvaluationScope scope) {
        builtins.put("time.now_ns", ops -> Operands.integerNode(scope.nowNanos()));
        builtins.put("time.parse_rfc3339_ns", TimeBuiltins::parseRfc3339);
        builtins.put("time.parse_duration_ns", ops -> Operands.integerNode(
                GoDuration.parse(Operands.string("time.parse_duration_ns", ops, 0))));
        builtins.put("time.date", ops -> {
            ZonedDateTime t = time("time.date", ops[0]);
            return ints(t.getYear(), t.getMonthValue(), t.getDayOfMonth());
        });
        builtins.put("time.clock", ops -> {
            ZonedDateTime t = time("time.clock", ops[0]);
            return ints(t.getHour(), t.getMinute(), t.getSecond());
        });
        builtins.put("time.weekday", ops -> {
            String day = time("time.weekday", ops[0]).getDayOfWeek().name();
            return Operands.text(day.charAt(0) + day.substring(1).toLowerCase(Locale.ROOT));
        });
        builtins.put("time.add_date", TimeBuiltins::addDate);
        builtins.put("time.diff", TimeBuiltins::diff);
    }

    private static JsonNode parseRfc3339(JsonNode[] ops) {
        String text = Operands.string("time.parse_rfc3339_ns", ops, 0);
        try {
            return nanos(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            throw new BuiltinError("time.parse_rfc3339_ns", "cannot parse " + text + " as RFC 3339");
        }
    }

    /** The time an operand names: ns, or [ns], [ns, zone], [ns, zone, layout]. */
    static ZonedDateTime time(String builtin, JsonNode v) {
        JsonNode ns = v;
        ZoneId zone = ZoneOffset.UTC;
        if (v.isArray() && !(v instanceof SetNode)) {
            if (v.isEmpty()) {
                throw new BuiltinError(builtin, "operand 1 must be either number (ns) or [number (ns), string (tz)]");
            }
            ns = v.get(0);
            if (v.size() > 1) {
                if (!v.get(1).isTextual()) {
                    throw new BuiltinError(builtin, "operand 1 must be string");
                }
                zone = zone(v.get(1).textValue());
            }
        }
        if (!ns.isNumber()) {
            throw new BuiltinError(builtin, "operand 1 must be either number (ns) or [number (ns), string (tz)]");
        }
        BigDecimal d = ns.decimalValue();
        BigInteger exact;
        try {
            exact = d.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new BuiltinError(builtin, "timestamp too big");
        }
        if (exact.compareTo(MIN_NS) < 0 || exact.compareTo(MAX_NS) > 0) {
            throw new BuiltinError(builtin, "timestamp too big");
        }
        long n = exact.longValue();
        return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L)).atZone(zone);
    }

    private static ZoneId zone(String name) {
        switch (name) {
            case "", "UTC":
                return ZoneOffset.UTC;
            case "Local":
                return ZoneId.systemDefault();
            default:
                return ZoneId.of(name);
        }
    }

    private static JsonNode addDate(JsonNode[] ops) {
        ZonedDateTime t = time("time.add_date", ops[0]);
        long years = Operands.integer("time.add_date", ops, 1);
        long months = Operands.integer("time.add_date", ops, 2);
        long days = Operands.integer("time.add_date", ops, 3);
        // Go's AddDate overflows into the next month (Jan 31 + 1 month = Mar 3) instead of clamping
        long monthIndex = t.getYear() * 12L + (t.getMonthValue() - 1) + years * 12 + months;
        LocalDate date = LocalDate.of((int) Math.floorDiv(monthIndex, 12), (int) Math.floorMod(monthIndex, 12) + 1, 1)
                .plusDays(t.getDayOfMonth() - 1L + days);
        return nanos(ZonedDateTime.of(date, t.toLocalTime(), t.getZone()).toInstant());
    }

    private static JsonNode diff(JsonNode[] ops) {
        ZonedDateTime t1 = time("time.diff", ops[0]);
        ZonedDateTime t2 = time("time.diff", ops[1]).withZoneSameInstant(t1.getZone());
        if (t1.isAfter(t2)) {
            ZonedDateTime swap = t1;
            t1 = t2;
            t2 = swap;
        }
        int year = t2.getYear() - t1.getYear();
        int month = t2.getMonthValue() - t1.getMonthValue();
        int day = t2.getDayOfMonth() - t1.getDayOfMonth();
        int hour = t2.getHour() - t1.getHour();
        int min = t2.getMinute() - t1.getMinute();
        int sec = t2.getSecond() - t1.getSecond();
        if (sec < 0) {
            sec += 60;
            min--;
        }
        if (min < 0) {
            min += 60;
            hour--;
        }
        if (hour < 0) {
            hour += 24;
            day--;
        }
        if (day < 0) {
            day += t1.toLocalDate().lengthOfMonth();
            month--;
        }
        if (month < 0) {
            month += 12;
            year--;
        }
        return ints(year, month, day, hour, min, sec);
    }

    private static JsonNode nanos(Instant t) {
        BigInteger ns = BigInteger.valueOf(t.getEpochSecond()).multiply(BigInteger.valueOf(1_000_000_000L))
                .add(BigInteger.valueOf(t.getNano()));
        if (ns.compareTo(MIN_NS) < 0 || ns.compareTo(MAX_NS) > 0) {
            throw new BuiltinError("time", "time outside of valid range");
        }
        return Operands.NODES.numberNode(ns);
    }

    private static ArrayNode ints(int... values) {
        ArrayNode a = Operands.array();
        for (int v : values) {
            a.add(Operands.integerNode(v));
        }
        return a;
    }
}
