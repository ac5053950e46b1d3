package dev.redline.pdp.server.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;

/** Converts a policy result (Jackson tree) to a {@code google.protobuf.Value}. */
public final class JsonValues {
    private static final Value NULL = Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    private static final Value TRUE = Value.newBuilder().setBoolValue(true).build();
    private static final Value FALSE = Value.newBuilder().setBoolValue(false).build();

    private JsonValues() {}

    public static Value toValue(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                Struct.Builder struct = Struct.newBuilder();
                node.fields().forEachRemaining(f -> struct.putFields(f.getKey(), toValue(f.getValue())));
                return Value.newBuilder().setStructValue(struct).build();
            }
            case ARRAY -> {
                ListValue.Builder list = ListValue.newBuilder();
                for (JsonNode item : node) {
                    list.addValues(toValue(item));
                }
                return Value.newBuilder().setListValue(list).build();
            }
            case STRING -> {
                return Value.newBuilder().setStringValue(node.textValue()).build();
            }
            case NUMBER -> {
                return Value.newBuilder().setNumberValue(node.doubleValue()).build();
            }
            case BOOLEAN -> {
                return node.booleanValue() ? TRUE : FALSE;
            }
            default -> {
                return NULL;
            }
        }
    }
}
