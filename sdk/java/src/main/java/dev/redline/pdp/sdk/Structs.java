package dev.redline.pdp.sdk;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.Map;

/** Plain Java values (maps, lists, strings, numbers, booleans, null) to and from protobuf JSON values. */
final class Structs {
    private Structs() {}

    static Struct toStruct(Map<String, ?> map) {
        Struct.Builder struct = Struct.newBuilder();
        map.forEach((key, value) -> struct.putFields(key(key, "input"), toValue(value, String.valueOf(key))));
        return struct.build();
    }

    static Value toValue(Object value, String where) {
        if (value == null) {
            return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
        }
        if (value instanceof String s) {
            return Value.newBuilder().setStringValue(s).build();
        }
        if (value instanceof Boolean b) {
            return Value.newBuilder().setBoolValue(b).build();
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException(where + " is " + d + ", which JSON cannot represent");
            }
            return Value.newBuilder().setNumberValue(d).build();
        }
        if (value instanceof ContractInput.WireValue w) {
            return Value.newBuilder().setStringValue(w.wire()).build();
        }
        if (value instanceof Value v) {
            return v;
        }
        if (value instanceof Struct s) {
            return Value.newBuilder().setStructValue(s).build();
        }
        if (value instanceof Map<?, ?> m) {
            Struct.Builder struct = Struct.newBuilder();
            m.forEach((k, v) -> struct.putFields(key(k, where), toValue(v, where + "." + k)));
            return Value.newBuilder().setStructValue(struct).build();
        }
        if (value instanceof Iterable<?> items) {
            ListValue.Builder list = ListValue.newBuilder();
            int i = 0;
            for (Object item : items) {
                list.addValues(toValue(item, where + "[" + i++ + "]"));
            }
            return Value.newBuilder().setListValue(list).build();
        }
        throw new IllegalArgumentException(where + " holds a " + value.getClass().getName()
                + ", which is not a JSON value (use maps, lists, strings, numbers, booleans or null)");
    }

    private static String key(Object key, String where) {
        if (key instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(where + " has a key that is not a string: " + key);
    }

    /** Compact JSON, for messages and {@code toString}; not a general-purpose printer. */
    static String toJson(Struct struct) {
        StringBuilder out = new StringBuilder();
        appendStruct(out, struct);
        return out.toString();
    }

    private static void appendStruct(StringBuilder out, Struct struct) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Value> field : struct.getFieldsMap().entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            appendString(out, field.getKey());
            out.append(':');
            appendValue(out, field.getValue());
        }
        out.append('}');
    }

    private static void appendValue(StringBuilder out, Value value) {
        switch (value.getKindCase()) {
            case STRING_VALUE -> appendString(out, value.getStringValue());
            case BOOL_VALUE -> out.append(value.getBoolValue());
            case NUMBER_VALUE -> {
                double d = value.getNumberValue();
                if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                    out.append((long) d);
                } else {
                    out.append(d);
                }
            }
            case STRUCT_VALUE -> appendStruct(out, value.getStructValue());
            case LIST_VALUE -> {
                out.append('[');
                for (int i = 0; i < value.getListValue().getValuesCount(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    appendValue(out, value.getListValue().getValues(i));
                }
                out.append(']');
            }
            default -> out.append("null");
        }
    }

    private static void appendString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
