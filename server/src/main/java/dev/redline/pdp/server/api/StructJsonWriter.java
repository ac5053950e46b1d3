package dev.redline.pdp.server.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.redline.pdp.server.decision.Caller;
import dev.redline.pdp.server.decision.InputLimit;
import dev.redline.pdp.server.decision.InvalidRequestException;
import dev.redline.pdp.server.decision.InvalidRequestException.Kind;
import java.util.Map;

/**
 * Writes a protobuf {@link Struct} as compact UTF-8 JSON straight into a {@link JsonBuffer}, the
 * form the Wasm policy parses. It copies string values as the UTF-8 bytes protobuf received,
 * skipping the String round trip, and stops as soon as the output passes the input limit.
 */
final class StructJsonWriter {
    /**
     * Deeper inputs are refused: no contract input comes close, and it bounds recursion. (gRPC's
     * protobuf parser stops at 100 message levels, about 50 JSON levels, before this is reached
     * on the wire; the check guards every other way a Struct can arrive.)
     */
    static final int MAX_DEPTH = 32;

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    private final InputLimit limit;

    StructJsonWriter(int maxBytes) {
        this(new InputLimit(maxBytes));
    }

    StructJsonWriter(InputLimit limit) {
        this.limit = limit;
    }

    /** Writes {@code struct} as it is. */
    void write(Struct struct, JsonBuffer out) {
        out.reset();
        writeStruct(struct, out, 1, "input", 0);
        checkSize(out, 0);
    }

    /** As {@link #write(Struct, JsonBuffer, Caller, int)} for a request without id or path. */
    void write(Struct struct, JsonBuffer out, Caller caller) {
        write(struct, out, caller, 0);
    }

    /**
     * Writes the input as the policy sees it: a top-level {@code caller} the request carries is
     * skipped while writing and the verified one appended ({@link CallerField}), so the input is
     * not copied to change it.
     *
     * @param fieldBytes the bytes of the request's id and path, which count against the limit too
     */
    void write(Struct struct, JsonBuffer out, Caller caller, int fieldBytes) {
        out.reset();
        writeObject(struct, out, 1, "input", caller, fieldBytes);
        checkSize(out, fieldBytes);
    }

    private void writeStruct(Struct struct, JsonBuffer out, int depth, String where, int fieldBytes) {
        writeObject(struct, out, depth, where, null, fieldBytes);
    }

    /** @param topLevelCaller the verified caller, for the input object itself; null for any other object */
    private void writeObject(Struct struct, JsonBuffer out, int depth, String where, Caller topLevelCaller,
            int fieldBytes) {
        checkDepth(depth, where);
        out.put((byte) '{');
        boolean first = true;
        for (Map.Entry<String, Value> field : struct.getFieldsMap().entrySet()) {
            if (topLevelCaller != null && CallerField.NAME.equals(field.getKey())) {
                continue;
            }
            if (!first) {
                out.put((byte) ',');
            }
            first = false;
            writeString(field.getKey(), out);
            out.put((byte) ':');
            writeValue(field.getValue(), out, depth + 1, where, fieldBytes);
            checkSize(out, fieldBytes);
        }
        if (topLevelCaller != null) {
            CallerField.append(topLevelCaller, !first, out);
        }
        out.put((byte) '}');
    }

    private void writeList(ListValue list, JsonBuffer out, int depth, String where, int fieldBytes) {
        checkDepth(depth, where);
        out.put((byte) '[');
        for (int i = 0; i < list.getValuesCount(); i++) {
            if (i > 0) {
                out.put((byte) ',');
            }
            writeValue(list.getValues(i), out, depth + 1, where, fieldBytes);
            checkSize(out, fieldBytes);
        }
        out.put((byte) ']');
    }

    private void writeValue(Value value, JsonBuffer out, int depth, String where, int fieldBytes) {
        switch (value.getKindCase()) {
            case STRUCT_VALUE -> writeStruct(value.getStructValue(), out, depth, where, fieldBytes);
            case LIST_VALUE -> writeList(value.getListValue(), out, depth, where, fieldBytes);
            case STRING_VALUE -> writeUtf8(value.getStringValueBytes(), out);
            case NUMBER_VALUE -> writeNumber(value.getNumberValue(), out);
            case BOOL_VALUE -> out.put(value.getBoolValue() ? TRUE : FALSE, 0, value.getBoolValue() ? 4 : 5);
            case NULL_VALUE, KIND_NOT_SET -> out.put(NULL, 0, 4);
        }
    }

    private static void writeNumber(double number, JsonBuffer out) {
        if (!Double.isFinite(number)) {
            throw new InvalidRequestException(Kind.INVALID_INPUT,
                    "input holds the number " + number + ", which JSON cannot represent");
        }
        String text = number == Math.rint(number) && Math.abs(number) < 9.007199254740992E15
                ? Long.toString((long) number)
                : Double.toString(number);
        out.ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            out.putUnchecked((byte) text.charAt(i));
        }
    }

    private static void writeUtf8(ByteString utf8, JsonBuffer out) {
        if (!utf8.isValidUtf8()) {
            throw new InvalidRequestException(Kind.INVALID_INPUT, "input holds a string that is not valid UTF-8");
        }
        int size = utf8.size();
        out.ensure(size + 2);
        out.putUnchecked((byte) '"');
        for (int i = 0; i < size; i++) {
            byte b = utf8.byteAt(i);
            if (b == '"' || b == '\\' || (b >= 0 && b < 0x20)) {
                escape(b, out);
            } else {
                out.put(b);
            }
        }
        out.put((byte) '"');
    }

    /** Object keys arrive as Java strings; encode them to UTF-8 by hand to skip a byte[] copy. */
    static void writeString(String s, JsonBuffer out) {
        out.put((byte) '"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20) {
                escape((byte) c, out);
            } else if (c < 0x80) {
                out.put((byte) c);
            } else if (c < 0x800) {
                out.put((byte) (0xC0 | (c >> 6)));
                out.put((byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out.put((byte) (0xF0 | (cp >> 18)));
                out.put((byte) (0x80 | ((cp >> 12) & 0x3F)));
                out.put((byte) (0x80 | ((cp >> 6) & 0x3F)));
                out.put((byte) (0x80 | (cp & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                throw new InvalidRequestException(Kind.INVALID_INPUT, "input holds a key that is not valid UTF-16");
            } else {
                out.put((byte) (0xE0 | (c >> 12)));
                out.put((byte) (0x80 | ((c >> 6) & 0x3F)));
                out.put((byte) (0x80 | (c & 0x3F)));
            }
        }
        out.put((byte) '"');
    }

    private static void escape(byte b, JsonBuffer out) {
        out.put((byte) '\\');
        switch (b) {
            case '"' -> out.put((byte) '"');
            case '\\' -> out.put((byte) '\\');
            case '\n' -> out.put((byte) 'n');
            case '\r' -> out.put((byte) 'r');
            case '\t' -> out.put((byte) 't');
            default -> {
                out.put((byte) 'u');
                out.put((byte) '0');
                out.put((byte) '0');
                out.put(HEX[(b >> 4) & 0xF]);
                out.put(HEX[b & 0xF]);
            }
        }
    }

    private static void checkDepth(int depth, String where) {
        if (depth > MAX_DEPTH) {
            throw new InvalidRequestException(Kind.INVALID_INPUT,
                    where + " is nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    private void checkSize(JsonBuffer out, int fieldBytes) {
        limit.check(out.length(), fieldBytes);
    }
}
