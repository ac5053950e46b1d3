package dev.redline.pdp.server.engine.builtins;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Go's reference-time layouts ("2006-01-02T15:04:05Z07:00"), for {@code time.format} and
 * {@code time.parse_ns}: the layout is cut into literal text and the elements Go's time package
 * knows (its {@code nextStdChunk}), then a time is written or read element by element with Go's
 * rules (widths, padding, AM/PM, zone offsets, optional fractional seconds, two-digit years).
 */
final class GoTimeLayout {
    /** The layout names OPA accepts in place of a layout. */
    static final Map<String, String> NAMED = Map.of(
            "ANSIC", "Mon Jan _2 15:04:05 2006",
            "UnixDate", "Mon Jan _2 15:04:05 MST 2006",
            "RubyDate", "Mon Jan 02 15:04:05 -0700 2006",
            "RFC822", "02 Jan 06 15:04 MST",
            "RFC822Z", "02 Jan 06 15:04 -0700",
            "RFC850", "Monday, 02-Jan-06 15:04:05 MST",
            "RFC1123", "Mon, 02 Jan 2006 15:04:05 MST",
            "RFC1123Z", "Mon, 02 Jan 2006 15:04:05 -0700",
            "RFC3339", "2006-01-02T15:04:05Z07:00",
            "RFC3339Nano", "2006-01-02T15:04:05.999999999Z07:00");

    private static final DateTimeFormatter ZONE_ABBREVIATION = DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH);

    private enum Std {
        LONG_MONTH, MONTH, NUM_MONTH, ZERO_MONTH, LONG_WEEKDAY, WEEKDAY, DAY, UNDER_DAY, ZERO_DAY,
        UNDER_YEAR_DAY, ZERO_YEAR_DAY, HOUR, HOUR12, ZERO_HOUR12, MINUTE, ZERO_MINUTE, SECOND, ZERO_SECOND,
        LONG_YEAR, YEAR, PM, LOWER_PM, TZ, ISO_TZ, ISO_SECONDS_TZ, ISO_SHORT_TZ, ISO_COLON_TZ,
        ISO_COLON_SECONDS_TZ, NUM_TZ, NUM_SECONDS_TZ, NUM_SHORT_TZ, NUM_COLON_TZ, NUM_COLON_SECONDS_TZ,
        FRAC_ZEROS, FRAC_NINES
    }

    /** Literal text, or one element (with its digit count and separator for fractional seconds). */
    private record Chunk(String literal, Std std, int digits, char separator) {}

    private static final String[][] PREFIXES = {
        {"January", "LONG_MONTH"}, {"Jan", "MONTH"}, {"Monday", "LONG_WEEKDAY"}, {"Mon", "WEEKDAY"}, {"MST", "TZ"},
        {"002", "ZERO_YEAR_DAY"}, {"01", "ZERO_MONTH"}, {"02", "ZERO_DAY"}, {"03", "ZERO_HOUR12"},
        {"04", "ZERO_MINUTE"}, {"05", "ZERO_SECOND"}, {"06", "YEAR"}, {"15", "HOUR"}, {"1", "NUM_MONTH"},
        {"2006", "LONG_YEAR"}, {"2", "DAY"}, {"__2", "UNDER_YEAR_DAY"}, {"_2", "UNDER_DAY"}, {"3", "HOUR12"},
        {"4", "MINUTE"}, {"5", "SECOND"}, {"PM", "PM"}, {"pm", "LOWER_PM"},
        {"-070000", "NUM_SECONDS_TZ"}, {"-07:00:00", "NUM_COLON_SECONDS_TZ"}, {"-0700", "NUM_TZ"},
        {"-07:00", "NUM_COLON_TZ"}, {"-07", "NUM_SHORT_TZ"}, {"Z070000", "ISO_SECONDS_TZ"},
        {"Z07:00:00", "ISO_COLON_SECONDS_TZ"}, {"Z0700", "ISO_TZ"}, {"Z07:00", "ISO_COLON_TZ"}, {"Z07", "ISO_SHORT_TZ"},
    };

    private GoTimeLayout() {}

    private static List<Chunk> chunks(String layout) {
        List<Chunk> out = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        outer:
        while (i < layout.length()) {
            char c = layout.charAt(i);
            if (c == '_' && layout.startsWith("_2006", i)) {
                literal.append('_'); // Go reads "_2006" as "_" then the year
                i++;
                continue;
            }
            if ((c == '.' || c == ',') && i + 1 < layout.length()
                    && (layout.charAt(i + 1) == '0' || layout.charAt(i + 1) == '9')) {
                char digit = layout.charAt(i + 1);
                int j = i + 1;
                while (j < layout.length() && layout.charAt(j) == digit) {
                    j++;
                }
                if (j >= layout.length() || !Character.isDigit(layout.charAt(j))) {
                    flush(literal, out);
                    out.add(new Chunk(null, digit == '0' ? Std.FRAC_ZEROS : Std.FRAC_NINES, j - i - 1, c));
                    i = j;
                    continue;
                }
            }
            for (String[] p : PREFIXES) {
                if (layout.startsWith(p[0], i)) {
                    flush(literal, out);
                    out.add(new Chunk(null, Std.valueOf(p[1]), 0, '.'));
                    i += p[0].length();
                    continue outer;
                }
            }
            literal.append(c);
            i++;
        }
        flush(literal, out);
        return out;
    }

    private static void flush(StringBuilder literal, List<Chunk> out) {
        if (!literal.isEmpty()) {
            out.add(new Chunk(literal.toString(), null, 0, '.'));
            literal.setLength(0);
        }
    }

    static String format(ZonedDateTime t, String layout) {
        StringBuilder s = new StringBuilder();
        for (Chunk c : chunks(layout)) {
            if (c.literal() != null) {
                s.append(c.literal());
                continue;
            }
            int hour12 = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
            int offset = t.getOffset().getTotalSeconds();
            switch (c.std()) {
                case LONG_MONTH -> s.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case MONTH -> s.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case NUM_MONTH -> s.append(t.getMonthValue());
                case ZERO_MONTH -> pad(s, t.getMonthValue(), 2, '0');
                case LONG_WEEKDAY -> s.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                case WEEKDAY -> s.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                case DAY -> s.append(t.getDayOfMonth());
                case UNDER_DAY -> pad(s, t.getDayOfMonth(), 2, ' ');
                case ZERO_DAY -> pad(s, t.getDayOfMonth(), 2, '0');
                case UNDER_YEAR_DAY -> pad(s, t.getDayOfYear(), 3, ' ');
                case ZERO_YEAR_DAY -> pad(s, t.getDayOfYear(), 3, '0');
                case HOUR -> pad(s, t.getHour(), 2, '0');
                case HOUR12 -> s.append(hour12);
                case ZERO_HOUR12 -> pad(s, hour12, 2, '0');
                case MINUTE -> s.append(t.getMinute());
                case ZERO_MINUTE -> pad(s, t.getMinute(), 2, '0');
                case SECOND -> s.append(t.getSecond());
                case ZERO_SECOND -> pad(s, t.getSecond(), 2, '0');
                case LONG_YEAR -> pad(s, t.getYear(), 4, '0');
                case YEAR -> pad(s, Math.floorMod(t.getYear(), 100), 2, '0');
                case PM -> s.append(t.getHour() >= 12 ? "PM" : "AM");
                case LOWER_PM -> s.append(t.getHour() >= 12 ? "pm" : "am");
                case TZ -> {
                    String name = t.getZone() instanceof ZoneOffset ? (offset == 0 ? "UTC" : "")
                            : ZONE_ABBREVIATION.format(t);
                    if (name.isEmpty() || name.startsWith("GMT") && name.length() > 3) {
                        offset(s, offset, false, false, false);
                    } else {
                        s.append(name);
                    }
                }
                case FRAC_ZEROS, FRAC_NINES -> fraction(s, t.getNano(), c);
                default -> zone(s, c.std(), offset);
            }
        }
        return s.toString();
    }

    private static void zone(StringBuilder s, Std std, int offset) {
        boolean iso = std.name().startsWith("ISO");
        if (iso && offset == 0) {
            s.append('Z');
            return;
        }
        boolean colon = std.name().contains("COLON");
        boolean seconds = std.name().contains("SECONDS");
        boolean shortForm = std.name().contains("SHORT");
        offset(s, offset, colon, seconds, shortForm);
    }

    private static void offset(StringBuilder s, int offset, boolean colon, boolean seconds, boolean hoursOnly) {
        int abs = Math.abs(offset);
        s.append(offset < 0 ? '-' : '+');
        pad(s, abs / 3600, 2, '0');
        if (!hoursOnly) {
            s.append(colon ? ":" : "");
            pad(s, abs / 60 % 60, 2, '0');
        }
        if (seconds) {
            s.append(colon ? ":" : "");
            pad(s, abs % 60, 2, '0');
        }
    }

    private static void fraction(StringBuilder s, int nanos, Chunk c) {
        String digits = String.format("%09d", nanos).substring(0, Math.min(9, c.digits()));
        if (c.std() == Std.FRAC_NINES) {
            digits = digits.replaceAll("0+$", "");
            if (digits.isEmpty()) {
                return;
            }
        }
        s.append(c.separator()).append(digits);
    }

    private static void pad(StringBuilder s, int v, int width, char with) {
        String digits = Integer.toString(Math.abs(v));
        if (v < 0) {
            s.append('-');
        }
        s.append(String.valueOf(with).repeat(Math.max(0, width - digits.length()))).append(digits);
    }

    /** What has been read so far of a value. */
    private static final class Reading {
        String rest;
        int year = 1;
        int month = 1;
        int day = 1;
        int hour;
        int minute;
        int second;
        int nano;
        Boolean pm;
        Integer offsetSeconds;
        String zoneName = "";

        Reading(String value) {
            rest = value;
        }
    }

    static OffsetDateTime parse(String builtin, String layout, String value) {
        List<Chunk> chunks = chunks(layout);
        Reading r = new Reading(value);
        for (int k = 0; k < chunks.size(); k++) {
            Chunk c = chunks.get(k);
            if (c.literal() != null) {
                skip(builtin, layout, value, r, c.literal());
                continue;
            }
            read(builtin, layout, value, r, c, k + 1 < chunks.size() ? chunks.get(k + 1) : null);
        }
        if (!r.rest.isEmpty()) {
            throw bad(builtin, layout, value, "extra text: " + GoFormat.quote(r.rest));
        }
        if (r.pm != null) {
            if (r.pm && r.hour < 12) {
                r.hour += 12;
            } else if (!r.pm && r.hour == 12) {
                r.hour = 0;
            }
        }
        if (r.day < 1 || r.day > YearMonth.of(r.year, r.month).lengthOfMonth()) {
            throw bad(builtin, layout, value, "day out of range");
        }
        int offset = r.offsetSeconds != null ? r.offsetSeconds
                : r.zoneName.startsWith("GMT") && r.zoneName.length() > 3
                        ? Integer.parseInt(r.zoneName.substring(3).replace("+", "")) * 3600 : 0;
        LocalDateTime local = LocalDateTime.of(r.year, r.month, r.day, r.hour, r.minute, r.second, r.nano);
        return OffsetDateTime.of(local, ZoneOffset.UTC).minusSeconds(offset);
    }

    private static BuiltinError bad(String builtin, String layout, String value, String why) {
        return new BuiltinError(builtin, "parsing time " + GoFormat.quote(value) + " as "
                + GoFormat.quote(layout) + ": " + why);
    }

    private static void skip(String builtin, String layout, String value, Reading r, String literal) {
        String prefix = literal;
        while (!prefix.isEmpty()) {
            if (prefix.charAt(0) == ' ') {
                if (!r.rest.isEmpty() && r.rest.charAt(0) != ' ') {
                    throw bad(builtin, layout, value, "cannot parse " + GoFormat.quote(r.rest) + " as "
                            + GoFormat.quote(literal));
                }
                prefix = prefix.stripLeading();
                r.rest = r.rest.replaceFirst("^ +", "");
                continue;
            }
            if (r.rest.isEmpty() || r.rest.charAt(0) != prefix.charAt(0)) {
                throw bad(builtin, layout, value, "cannot parse " + GoFormat.quote(r.rest) + " as "
                        + GoFormat.quote(literal));
            }
            prefix = prefix.substring(1);
            r.rest = r.rest.substring(1);
        }
    }

    /** One or two digits, or exactly two when {@code fixed}. */
    private static int number(String builtin, String layout, String value, Reading r, boolean fixed, int max) {
        String s = r.rest;
        if (s.isEmpty() || !isDigit(s, 0)) {
            throw bad(builtin, layout, value, "cannot parse " + GoFormat.quote(s));
        }
        int n;
        if (!isDigit(s, 1)) {
            if (fixed) {
                throw bad(builtin, layout, value, "cannot parse " + GoFormat.quote(s));
            }
            n = s.charAt(0) - '0';
            r.rest = s.substring(1);
        } else {
            n = (s.charAt(0) - '0') * 10 + (s.charAt(1) - '0');
            r.rest = s.substring(2);
        }
        if (n > max) {
            throw bad(builtin, layout, value, "value out of range");
        }
        return n;
    }

    private static boolean isDigit(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }

    private static void read(String builtin, String layout, String value, Reading r, Chunk c, Chunk next) {
        switch (c.std()) {
            case YEAR -> {
                int yy = fixedDigits(builtin, layout, value, r, 2);
                r.year = yy >= 69 ? 1900 + yy : 2000 + yy;
            }
            case LONG_YEAR -> r.year = fixedDigits(builtin, layout, value, r, 4);
            case MONTH, LONG_MONTH -> r.month = name(builtin, layout, value, r, c.std() == Std.LONG_MONTH, true);
            case WEEKDAY, LONG_WEEKDAY -> name(builtin, layout, value, r, c.std() == Std.LONG_WEEKDAY, false);
            case NUM_MONTH, ZERO_MONTH -> {
                r.month = number(builtin, layout, value, r, c.std() == Std.ZERO_MONTH, 12);
                if (r.month < 1) {
                    throw bad(builtin, layout, value, "month out of range");
                }
            }
            case DAY, UNDER_DAY, ZERO_DAY -> {
                if (c.std() == Std.UNDER_DAY && r.rest.startsWith(" ")) {
                    r.rest = r.rest.substring(1);
                }
                r.day = number(builtin, layout, value, r, c.std() == Std.ZERO_DAY, 31);
            }
            case UNDER_YEAR_DAY, ZERO_YEAR_DAY -> throw bad(builtin, layout, value, "day of year is not supported");
            case HOUR -> r.hour = number(builtin, layout, value, r, false, 23);
            case HOUR12, ZERO_HOUR12 -> r.hour = number(builtin, layout, value, r, c.std() == Std.ZERO_HOUR12, 12);
            case MINUTE, ZERO_MINUTE -> r.minute = number(builtin, layout, value, r, c.std() == Std.ZERO_MINUTE, 59);
            case SECOND, ZERO_SECOND -> {
                r.second = number(builtin, layout, value, r, c.std() == Std.ZERO_SECOND, 59);
                boolean layoutHasFraction = next != null && (next.std() == Std.FRAC_ZEROS || next.std() == Std.FRAC_NINES);
                if (!layoutHasFraction && r.rest.length() >= 2 && (r.rest.charAt(0) == '.' || r.rest.charAt(0) == ',')
                        && isDigit(r.rest, 1)) {
                    int n = 2;
                    while (isDigit(r.rest, n)) {
                        n++;
                    }
                    r.nano = nanos(r.rest.substring(1, n));
                    r.rest = r.rest.substring(n);
                }
            }
            case PM, LOWER_PM -> {
                String want = c.std() == Std.PM ? "PM" : "pm";
                String p = r.rest.length() >= 2 ? r.rest.substring(0, 2) : "";
                if (p.equals(want)) {
                    r.pm = true;
                } else if (p.equals(c.std() == Std.PM ? "AM" : "am")) {
                    r.pm = false;
                } else {
                    throw bad(builtin, layout, value, "cannot parse " + GoFormat.quote(r.rest) + " as \"" + want + "\"");
                }
                r.rest = r.rest.substring(2);
            }
            case TZ -> {
                if (r.rest.startsWith("UTC")) {
                    r.rest = r.rest.substring(3);
                    r.offsetSeconds = 0;
                    return;
                }
                int n = zoneNameLength(r.rest);
                if (n <= 0) {
                    throw bad(builtin, layout, value, "cannot parse " + GoFormat.quote(r.rest) + " as \"MST\"");
                }
                r.zoneName = r.rest.substring(0, n);
                r.rest = r.rest.substring(n);
            }
            case FRAC_ZEROS -> {
                int n = 1 + c.digits();
                if (r.rest.length() < n || (r.rest.charAt(0) != '.' && r.rest.charAt(0) != ',')) {
                    throw bad(builtin, layout, value, "cannot parse " + GoFormat.quote(r.rest));
                }
                String digits = r.rest.substring(1, n);
                if (!digits.chars().allMatch(Character::isDigit)) {
                    throw bad(builtin, layout, value, "cannot parse " + GoFormat.quote(r.rest));
                }
                r.nano = nanos(digits);
                r.rest = r.rest.substring(n);
            }
            case FRAC_NINES -> {
                if (r.rest.length() < 2 || (r.rest.charAt(0) != '.' && r.rest.charAt(0) != ',') || !isDigit(r.rest, 1)) {
                    return; // the fraction is optional
                }
                int n = 1;
                while (isDigit(r.rest, n)) {
                    n++;
                }
                r.nano = nanos(r.rest.substring(1, n));
                r.rest = r.rest.substring(n);
            }
            default -> readOffset(builtin, layout, value, r, c.std());
        }
    }

    private static int fixedDigits(String builtin, String layout, String value, Reading r, int width) {
        if (r.rest.length() < width || !r.rest.substring(0, width).chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw bad(builtin, layout, value, "cannot parse " + GoFormat.quote(r.rest));
        }
        int n = Integer.parseInt(r.rest.substring(0, width));
        r.rest = r.rest.substring(width);
        return n;
    }

    private static int nanos(String digits) {
        String nine = (digits.length() > 9 ? digits.substring(0, 9) : digits);
        return Integer.parseInt(nine + "0".repeat(9 - nine.length()));
    }

    /** A month (1-12) or weekday name, matched without regard to case as Go does. */
    private static int name(String builtin, String layout, String value, Reading r, boolean full, boolean month) {
        int count = month ? 12 : 7;
        for (int k = 0; k < count; k++) {
            String name = month ? Month.of(k + 1).getDisplayName(full ? TextStyle.FULL : TextStyle.SHORT, Locale.ENGLISH)
                    : DayOfWeek.of(k == 0 ? 7 : k).getDisplayName(full ? TextStyle.FULL : TextStyle.SHORT, Locale.ENGLISH);
            if (r.rest.length() >= name.length() && r.rest.substring(0, name.length()).equalsIgnoreCase(name)) {
                r.rest = r.rest.substring(name.length());
                return k + 1;
            }
        }
        throw bad(builtin, layout, value, "cannot parse " + GoFormat.quote(r.rest));
    }

    /** The length of a zone abbreviation at the start (Go's parseTimeZone), or 0. */
    private static int zoneNameLength(String s) {
        if (s.length() < 3) {
            return 0;
        }
        if (s.startsWith("ChST") || s.startsWith("MeST")) {
            return 4;
        }
        if (s.startsWith("GMT")) {
            int n = 3;
            if (n < s.length() && (s.charAt(n) == '+' || s.charAt(n) == '-')) {
                int m = n + 1;
                while (isDigit(s, m)) {
                    m++;
                }
                return m > n + 1 ? m : 3;
            }
            return 3;
        }
        int upper = 0;
        while (upper < s.length() && upper < 6 && Character.isUpperCase(s.charAt(upper))) {
            upper++;
        }
        return switch (upper) {
            case 3 -> 3;
            case 4 -> s.charAt(3) == 'T' ? 4 : 0;
            case 5 -> s.charAt(4) == 'T' ? 5 : 0;
            default -> 0;
        };
    }

    private static void readOffset(String builtin, String layout, String value, Reading r, Std std) {
        String s = r.rest;
        if (std.name().startsWith("ISO") && s.startsWith("Z")) {
            r.rest = s.substring(1);
            r.offsetSeconds = 0;
            return;
        }
        boolean colon = std.name().contains("COLON");
        boolean seconds = std.name().contains("SECONDS");
        boolean shortForm = std.name().contains("SHORT");
        int length = shortForm ? 3 : 5 + (colon ? 1 : 0) + (seconds ? 2 + (colon ? 1 : 0) : 0);
        if (s.length() < length || (colon && s.charAt(3) != ':') || (colon && seconds && s.charAt(6) != ':')) {
            throw bad(builtin, layout, value, "cannot parse " + GoFormat.quote(s));
        }
        String digits = s.substring(1, length).replace(":", "");
        if (!digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw bad(builtin, layout, value, "cannot parse " + GoFormat.quote(s));
        }
        int hours = Integer.parseInt(digits.substring(0, 2));
        int minutes = digits.length() >= 4 ? Integer.parseInt(digits.substring(2, 4)) : 0;
        int secs = digits.length() >= 6 ? Integer.parseInt(digits.substring(4, 6)) : 0;
        if (hours > 24 || minutes > 60 || secs > 60) {
            throw bad(builtin, layout, value, "time zone offset out of range");
        }
        int offset = (hours * 60 + minutes) * 60 + secs;
        switch (s.charAt(0)) {
            case '+' -> r.offsetSeconds = offset;
            case '-' -> r.offsetSeconds = -offset;
            default -> throw bad(builtin, layout, value, "cannot parse " + GoFormat.quote(s));
        }
        r.rest = s.substring(length);
    }
}
