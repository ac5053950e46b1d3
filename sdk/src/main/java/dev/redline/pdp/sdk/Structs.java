package dev.redline.pdp.sdk;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.Map;

/** Plain Java values (maps, lists, strings, numbers, booleans, null) as protobuf JSON values. */
final class Structs {
    private Structs() {}

    static Struct toStruct(Map<String, ?> map) {
        Struct.Builder struct = Struct.newBuilder();
        map.forEach((key, value) -> struct.putFields(key, toValue(value, key)));
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
            return Value.newBuilder().setNumberValue(n.doubleValue()).build();
        }
        if (value instanceof ContractInput.WireValue w) {
            return Value.newBuilder().setStringValue(w.wire()).build();
        }
        if (value instanceof Map<?, ?> m) {
            Struct.Builder struct = Struct.newBuilder();
            m.forEach((k, v) -> struct.putFields(String.valueOf(k), toValue(v, where + "." + k)));
            return Value.newBuilder().setStructValue(struct).build();
        }
        if (value instanceof Iterable<?> items) {
            ListValue.Builder list = ListValue.newBuilder();
            items.forEach(item -> list.addValues(toValue(item, where + "[]")));
            return Value.newBuilder().setListValue(list).build();
        }
        throw new IllegalArgumentException(where + " holds a " + value.getClass().getName()
                + ", which is not a JSON value (use maps, lists, strings, numbers, booleans or null)");
    }
}
