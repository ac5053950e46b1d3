package dev.redline.pdp.server.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class JsonValuesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void convertsAStringToAStringValue() throws Exception {
        assertEquals(str("deploy é漢😀"), JsonValues.toValue(json("\"deploy é漢😀\"")));
    }

    @Test
    void convertsAnIntegerToANumberValue() throws Exception {
        assertEquals(num(42), JsonValues.toValue(json("42")));
    }

    @Test
    void convertsANegativeFractionToANumberValue() throws Exception {
        assertEquals(num(-2.5), JsonValues.toValue(json("-2.5")));
    }

    @Test
    void convertsALongToTheNearestDouble() throws Exception {
        assertEquals(num(1.234567890123E12), JsonValues.toValue(json("1234567890123")));
    }

    @Test
    void convertsAnExponentNumberToANumberValue() throws Exception {
        assertEquals(num(1e300), JsonValues.toValue(json("1e300")));
    }

    @Test
    void convertsTrueToABoolValue() throws Exception {
        assertEquals(Value.newBuilder().setBoolValue(true).build(), JsonValues.toValue(json("true")));
    }

    @Test
    void convertsFalseToABoolValue() throws Exception {
        assertEquals(Value.newBuilder().setBoolValue(false).build(), JsonValues.toValue(json("false")));
    }

    @Test
    void convertsNullToANullValue() throws Exception {
        assertEquals(nul(), JsonValues.toValue(json("null")));
    }

    @Test
    void convertsAMissingNodeToANullValue() {
        assertEquals(nul(), JsonValues.toValue(MissingNode.getInstance()));
    }

    @Test
    void convertsAnEmptyObjectToAnEmptyStruct() throws Exception {
        Value value = JsonValues.toValue(json("{}"));

        assertEquals(Value.KindCase.STRUCT_VALUE, value.getKindCase());
        assertEquals(Struct.getDefaultInstance(), value.getStructValue());
    }

    @Test
    void convertsAnEmptyArrayToAnEmptyList() throws Exception {
        Value value = JsonValues.toValue(json("[]"));

        assertEquals(Value.KindCase.LIST_VALUE, value.getKindCase());
        assertEquals(0, value.getListValue().getValuesCount());
    }

    @Test
    void convertsAnObjectToAStructWithAFieldPerKey() throws Exception {
        Value expected = obj(Struct.newBuilder()
                .putFields("allow", bool(false))
                .putFields("code", str("NO_HUMAN_REVIEW"))
                .putFields("count", num(2))
                .build());

        assertEquals(expected, JsonValues.toValue(json("{\"allow\":false,\"code\":\"NO_HUMAN_REVIEW\",\"count\":2}")));
    }

    @Test
    void convertsAnArrayToAListKeepingOrder() throws Exception {
        assertEquals(list(num(3), str("b"), bool(true), nul()), JsonValues.toValue(json("[3,\"b\",true,null]")));
    }

    @Test
    void convertsNestedObjectsAndArrays() throws Exception {
        Value expected = obj(Struct.newBuilder()
                .putFields("allow", bool(false))
                .putFields("violations", list(
                        obj(Struct.newBuilder()
                                .putFields("code", str("NO_HUMAN_REVIEW"))
                                .putFields("clause", str("contract/4.2"))
                                .putFields("tags", list(str("a"), list(num(1), nul())))
                                .build())))
                .putFields("obligations", list())
                .putFields("meta", obj(Struct.newBuilder()
                        .putFields("inner", obj(Struct.newBuilder().putFields("depth", num(3)).build()))
                        .build()))
                .build());

        Value actual = JsonValues.toValue(json("{\"allow\":false,"
                + "\"violations\":[{\"code\":\"NO_HUMAN_REVIEW\",\"clause\":\"contract/4.2\",\"tags\":[\"a\",[1,null]]}],"
                + "\"obligations\":[],"
                + "\"meta\":{\"inner\":{\"depth\":3}}}"));

        assertEquals(expected, actual);
    }

    @Test
    void agreesWithProtobufJsonFormatOnANestedDocument() throws Exception {
        String text = "{\"a\":[1,2.5,-3,\"s\",true,false,null,{\"b\":{\"c\":[]}}],\"d\":{},\"e\":\"\\u0001\\\"\"}";
        Value.Builder expected = Value.newBuilder();
        JsonFormat.parser().merge(text, expected);

        assertEquals(expected.build(), JsonValues.toValue(json(text)));
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static Value obj(Struct struct) {
        return Value.newBuilder().setStructValue(struct).build();
    }

    private static Value list(Value... values) {
        return Value.newBuilder().setListValue(ListValue.newBuilder().addAllValues(Arrays.asList(values))).build();
    }

    private static Value str(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    private static Value num(double n) {
        return Value.newBuilder().setNumberValue(n).build();
    }

    private static Value bool(boolean b) {
        return Value.newBuilder().setBoolValue(b).build();
    }

    private static Value nul() {
        return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    }
}
