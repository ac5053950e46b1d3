package dev.redline.pdp.server.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.redline.pdp.server.decision.InvalidRequestException;
import dev.redline.pdp.server.decision.InvalidRequestException.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StructJsonWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LIMIT = 1 << 20;

    // ---- round trip -----------------------------------------------------------------------------

    @Test
    void writesADocumentThatParsesBackToTheSameDocument() throws Exception {
        Struct input = struct(
                "request", obj(struct(
                        "action", str("deploy"),
                        "count", num(3),
                        "ratio", num(0.25),
                        "human_review", bool(true),
                        "autonomous", bool(false),
                        "reviewer", nul())),
                "tags", list(str("a"), num(-1), bool(true), nul(), obj(struct("k", str("v"))), list()),
                "empty", obj(Struct.getDefaultInstance()));

        String written = write(input);

        assertEquals(JSON.readTree("{\"request\":{\"action\":\"deploy\",\"count\":3,\"ratio\":0.25,"
                + "\"human_review\":true,\"autonomous\":false,\"reviewer\":null},"
                + "\"tags\":[\"a\",-1,true,null,{\"k\":\"v\"},[]],\"empty\":{}}"), JSON.readTree(written));
    }

    @Test
    void writesCompactJsonWithoutWhitespace() {
        assertEquals("{\"a\":[1,true,null,{\"c\":\"d\"},[]]}",
                write(struct("a", list(num(1), bool(true), nul(), obj(struct("c", str("d"))), list()))));
    }

    @Test
    void writesAnEmptyStructAsAnEmptyObject() {
        assertEquals("{}", write(Struct.getDefaultInstance()));
    }

    @Test
    void writesAValueWithNoKindSetAsNull() {
        assertEquals("{\"unset\":null}", write(struct("unset", Value.getDefaultInstance())));
    }

    // ---- strings --------------------------------------------------------------------------------

    @Test
    void escapesQuotesBackslashesAndControlCharactersInValues() {
        String written = write(struct("v", str("q\"b\\s\nn\tt\u0001c\rr\u0000z\u001f")));

        assertEquals("{\"v\":\"q\\\"b\\\\s\\nn\\tt\\u0001c\\rr\\u0000z\\u001f\"}", written);
    }

    @Test
    void escapesQuotesBackslashesAndControlCharactersInKeys() {
        String written = write(struct("q\"b\\s\nn\tt\u0001c", num(1)));

        assertEquals("{\"q\\\"b\\\\s\\nn\\tt\\u0001c\":1}", written);
    }

    @Test
    void escapedStringsParseBackToTheOriginalText() throws Exception {
        String text = "q\"b\\s\nn\tt\u0001c\rr";

        String written = write(struct(text, str(text)));

        assertEquals(text, JSON.readTree(written).get(text).textValue());
    }

    @Test
    void writesNonAsciiKeysAndValuesAsUtf8() throws Exception {
        String text = "é漢😀";

        byte[] written = writeBytes(new StructJsonWriter(LIMIT), struct(text, str(text)));

        assertArrayEquals(("{\"" + text + "\":\"" + text + "\"}").getBytes(UTF_8), written);
        assertEquals("{\"é漢😀\":\"é漢😀\"}", strictUtf8(written));
    }

    @Test
    void refusesAKeyWithAnUnpairedSurrogate() {
        InvalidRequestException e = refusal(new StructJsonWriter(LIMIT), struct("bad\uD83D", num(1)));

        assertEquals(Kind.INVALID_INPUT, e.kind());
        assertEquals("input holds a key that is not valid UTF-16", e.getMessage());
    }

    // ---- numbers --------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} is written as {1}")
    @CsvSource({
        "1.0, 1",
        "0.0, 0",
        "-0.0, 0",
        "-3.0, -3",
        "2.5, 2.5",
        "-0.125, -0.125",
        "0.1, 0.1",
        "1e15, 1000000000000000",
        "9007199254740991, 9007199254740991",
        "9007199254740992, 9.007199254740992E15",
        "1e20, 1.0E20",
        "1.7976931348623157e308, 1.7976931348623157E308",
        "1e-7, 1.0E-7"
    })
    void writesNumbersAsShortJson(double number, String expected) throws Exception {
        String written = write(struct("n", num(number)));

        assertEquals("{\"n\":" + expected + "}", written);
        assertEquals(number == 0 ? 0.0 : number, JSON.readTree(written).get("n").doubleValue());
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource({
        "NaN, 'input holds the number NaN, which JSON cannot represent'",
        "Infinity, 'input holds the number Infinity, which JSON cannot represent'",
        "-Infinity, 'input holds the number -Infinity, which JSON cannot represent'"
    })
    void refusesNumbersJsonCannotRepresent(double number, String message) {
        InvalidRequestException e = refusal(new StructJsonWriter(LIMIT), struct("n", num(number)));

        assertEquals(Kind.INVALID_INPUT, e.kind());
        assertEquals(message, e.getMessage());
    }

    @Test
    void refusesNanNestedInAList() {
        InvalidRequestException e = refusal(new StructJsonWriter(LIMIT), struct("l", list(num(1), num(Double.NaN))));

        assertEquals(Kind.INVALID_INPUT, e.kind());
    }

    // ---- depth ----------------------------------------------------------------------------------

    @Test
    void acceptsObjectsNestedExactlyMaxDepthLevels() {
        int levels = StructJsonWriter.MAX_DEPTH;

        String written = write(nestedObjects(levels));

        assertEquals("{\"n\":".repeat(levels - 1) + "{\"leaf\":true}" + "}".repeat(levels - 1), written);
    }

    @Test
    void refusesObjectsNestedDeeperThanMaxDepth() {
        InvalidRequestException e = refusal(new StructJsonWriter(LIMIT), nestedObjects(StructJsonWriter.MAX_DEPTH + 1));

        assertEquals(Kind.INVALID_INPUT, e.kind());
        assertEquals("input is nested more than 32 levels deep", e.getMessage());
    }

    @Test
    void acceptsListsNestedUpToMaxDepthCountingTheTopObject() {
        int lists = StructJsonWriter.MAX_DEPTH - 1;

        String written = write(struct("l", nestedLists(lists)));

        assertEquals("{\"l\":" + "[".repeat(lists) + "true" + "]".repeat(lists) + "}", written);
    }

    @Test
    void refusesListsNestedDeeperThanMaxDepth() {
        InvalidRequestException e = refusal(new StructJsonWriter(LIMIT), struct("l", nestedLists(StructJsonWriter.MAX_DEPTH)));

        assertEquals(Kind.INVALID_INPUT, e.kind());
        assertEquals("input is nested more than 32 levels deep", e.getMessage());
    }

    // ---- size -----------------------------------------------------------------------------------

    @Test
    void refusesOutputOverTheByteLimit() {
        InvalidRequestException e = refusal(new StructJsonWriter(32), struct("k", str("x".repeat(64))));

        assertEquals(Kind.INPUT_TOO_LARGE, e.kind());
        assertEquals("input is larger than the limit of 32 bytes of JSON", e.getMessage());
    }

    @Test
    void refusesAListThatGrowsOverTheByteLimit() {
        ListValue.Builder many = ListValue.newBuilder();
        for (int i = 0; i < 1000; i++) {
            many.addValues(num(i));
        }

        InvalidRequestException e = refusal(new StructJsonWriter(100),
                struct("l", Value.newBuilder().setListValue(many).build()));

        assertEquals(Kind.INPUT_TOO_LARGE, e.kind());
    }

    @Test
    void acceptsOutputExactlyAtTheByteLimit() {
        Struct input = struct("k", str("abc"));

        assertEquals("{\"k\":\"abc\"}", new String(writeBytes(new StructJsonWriter(11), input), UTF_8));
    }

    @Test
    void refusesOutputOneByteOverTheByteLimit() {
        InvalidRequestException e = refusal(new StructJsonWriter(10), struct("k", str("abc")));

        assertEquals(Kind.INPUT_TOO_LARGE, e.kind());
    }

    // ---- buffer ---------------------------------------------------------------------------------

    @Test
    void reusedBufferHoldsOnlyTheLatestOutput() {
        StructJsonWriter writer = new StructJsonWriter(LIMIT);
        JsonBuffer buffer = new JsonBuffer(16);

        writer.write(struct("long", str("x".repeat(200))), buffer);
        writer.write(struct("a", num(1)), buffer);

        assertEquals(7, buffer.length());
        assertEquals("{\"a\":1}", new String(buffer.bytes(), 0, buffer.length(), UTF_8));
    }

    @Test
    void growsASmallBufferToHoldALargeOutput() {
        String big = "y".repeat(10_000);
        JsonBuffer buffer = new JsonBuffer(4);

        new StructJsonWriter(LIMIT).write(struct("big", str(big)), buffer);

        assertEquals("{\"big\":\"" + big + "\"}", new String(buffer.bytes(), 0, buffer.length(), UTF_8));
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static String write(Struct struct) {
        return strictUtf8(writeBytes(new StructJsonWriter(LIMIT), struct));
    }

    private static byte[] writeBytes(StructJsonWriter writer, Struct struct) {
        JsonBuffer buffer = new JsonBuffer(64);
        writer.write(struct, buffer);
        return Arrays.copyOf(buffer.bytes(), buffer.length());
    }

    private static InvalidRequestException refusal(StructJsonWriter writer, Struct struct) {
        return assertThrows(InvalidRequestException.class, () -> writer.write(struct, new JsonBuffer(64)));
    }

    /** Decodes UTF-8, failing on any malformed sequence rather than substituting U+FFFD. */
    private static String strictUtf8(byte[] bytes) {
        try {
            return UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("output is not valid UTF-8: " + Arrays.toString(bytes), e);
        }
    }

    /** {@code levels} objects in all, the top-level one included; the innermost holds {"leaf":true}. */
    private static Struct nestedObjects(int levels) {
        Struct inner = struct("leaf", bool(true));
        for (int i = 1; i < levels; i++) {
            inner = struct("n", obj(inner));
        }
        return inner;
    }

    /** {@code levels} lists, one inside the other, the innermost holding {@code true}. */
    private static Value nestedLists(int levels) {
        Value inner = bool(true);
        for (int i = 0; i < levels; i++) {
            inner = list(inner);
        }
        return inner;
    }

    private static Struct struct(Object... keysAndValues) {
        Struct.Builder struct = Struct.newBuilder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            struct.putFields((String) keysAndValues[i], (Value) keysAndValues[i + 1]);
        }
        return struct.build();
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
