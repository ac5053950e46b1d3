package dev.redline.pdp.server.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.server.decision.Caller;
import dev.redline.pdp.server.decision.InvalidRequestException;
import dev.redline.pdp.server.decision.InvalidRequestException.Kind;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RequestInputTest {
    private static final int LIMIT = 1 << 20;
    private static final Caller ANONYMOUS = new Caller(Optional.empty(), Optional.empty());

    private static String written(RequestInput inputs, DecideRequest request) {
        JsonBuffer out = new JsonBuffer(8);
        inputs.write(request, out, ANONYMOUS);
        return new String(Arrays.copyOf(out.bytes(), out.length()), UTF_8);
    }

    private static InvalidRequestException refusal(RequestInput inputs, String inputJson) {
        return assertThrows(InvalidRequestException.class,
                () -> written(inputs, DecideRequest.newBuilder().setInputJson(inputJson).build()));
    }

    @Test
    void aRequestWithNoInputWritesNoBytes() {
        assertEquals("", written(new RequestInput(LIMIT), DecideRequest.getDefaultInstance()));
    }

    @Test
    void aRequestWithNoInputLeavesNothingOfThePreviousRequestInTheBuffer() {
        RequestInput inputs = new RequestInput(LIMIT);
        JsonBuffer out = new JsonBuffer(8);
        inputs.write(DecideRequest.newBuilder().setInputJson("{\"a\":1}").build(), out, ANONYMOUS);

        inputs.write(DecideRequest.getDefaultInstance(), out, ANONYMOUS);

        assertEquals(0, out.length());
    }

    @Test
    void anEmptyStructIsTheEmptyObject() {
        assertEquals("{}", written(new RequestInput(LIMIT),
                DecideRequest.newBuilder().setInput(Struct.getDefaultInstance()).build()));
    }

    @Test
    void aStructIsWrittenAsJson() {
        Struct input = Struct.newBuilder().putFields("n", Value.newBuilder().setNumberValue(3).build()).build();

        assertEquals("{\"n\":3}", written(new RequestInput(LIMIT), DecideRequest.newBuilder().setInput(input).build()));
    }

    @Test
    void inputJsonIsWrittenAsSentWithItsNumbersDigitForDigit() {
        String text = "{ \"n\": 18446744073709551614, \"f\": 0.10000000000000000000001, \"s\": \"é\" }";

        assertEquals(text, written(new RequestInput(LIMIT), DecideRequest.newBuilder().setInputJson(text).build()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[1, 2]                | input_json is not a JSON object",
            "18446744073709551614  | input_json is not a JSON object",
            "'\"text\"'            | input_json is not a JSON object",
            "''                    | input_json is not a JSON object",
            "'{\"a\": 1'           | input_json is not well-formed JSON",
            "'{\"a\": NaN}'        | input_json is not well-formed JSON",
            "'{\"a\": 1, \"a\": 2}' | input_json is not well-formed JSON",
            "'{\"a\": 1} {}'       | input_json holds more than one JSON value",
    })
    void inputJsonThatIsNotOneObjectIsRefusedAsInvalidInput(String text, String message) {
        InvalidRequestException e = refusal(new RequestInput(LIMIT), text);

        assertEquals(Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void aDuplicateKeyIsNamed() {
        InvalidRequestException e = refusal(new RequestInput(LIMIT), "{\"a\": 1, \"a\": 2}");

        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
    }

    @Test
    void inputJsonAtTheDepthLimitIsAccepted() {
        String text = "[".repeat(StructJsonWriter.MAX_DEPTH - 1) + "]".repeat(StructJsonWriter.MAX_DEPTH - 1);

        assertEquals("{\"l\":" + text + "}",
                written(new RequestInput(LIMIT), DecideRequest.newBuilder().setInputJson("{\"l\":" + text + "}").build()));
    }

    @Test
    void inputJsonDeeperThanTheLimitIsRefused() {
        String text = "{\"l\":" + "[".repeat(StructJsonWriter.MAX_DEPTH) + "]".repeat(StructJsonWriter.MAX_DEPTH) + "}";

        InvalidRequestException e = refusal(new RequestInput(LIMIT), text);

        assertEquals(Kind.INVALID_INPUT, e.kind());
        assertEquals("input_json is nested more than " + StructJsonWriter.MAX_DEPTH + " levels deep", e.getMessage());
    }

    @Test
    void inputJsonOverTheInputLimitIsRefusedBeforeItIsRead() {
        InvalidRequestException e = refusal(new RequestInput(10), "{\"k\":\"abcd\"}");

        assertEquals(Kind.INPUT_TOO_LARGE, e.kind());
        assertEquals("input is larger than the limit of 10 bytes of JSON", e.getMessage());
    }

    @Test
    void inputJsonExactlyAtTheInputLimitIsAccepted() {
        assertEquals("{\"k\":\"ab\"}", written(new RequestInput(10), DecideRequest.newBuilder().setInputJson("{\"k\":\"ab\"}").build()));
    }

    @Test
    void theLimitCountsUtf8BytesNotCharacters() {
        InvalidRequestException e = refusal(new RequestInput(10), "{\"k\":\"éé\"}");

        assertEquals(Kind.INPUT_TOO_LARGE, e.kind());
    }

    @Test
    void theRequestIdAndPathCountAgainstTheInputLimit() {
        DecideRequest request = DecideRequest.newBuilder().setInputJson("{\"k\":\"ab\"}") // 10 bytes
                .setRequestId("id-4").setPath("a/b").build();                            // 7 bytes

        assertEquals("{\"k\":\"ab\"}", written(new RequestInput(17), request));
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> written(new RequestInput(16), request));
        assertEquals(Kind.INPUT_TOO_LARGE, e.kind());
        assertEquals("input is larger than the limit of 16 bytes of JSON, counting the 7 bytes of its request_id and path",
                e.getMessage());
    }

    @Test
    void theRequestIdAndPathCountAgainstTheLimitOfAStructInput() {
        Struct input = Struct.newBuilder().putFields("k", Value.newBuilder().setStringValue("ab").build()).build();
        DecideRequest request = DecideRequest.newBuilder().setInput(input).setRequestId("id-4").setPath("a/b").build();

        assertEquals(Kind.INPUT_TOO_LARGE, assertThrows(InvalidRequestException.class,
                () -> written(new RequestInput(16), request)).kind());
    }

    @Test
    void aRequestWithoutInputIsStillBoundedByItsIdAndPath() {
        DecideRequest request = DecideRequest.newBuilder().setRequestId("r".repeat(200)).setPath("a/b").build();

        assertEquals(Kind.INPUT_TOO_LARGE, assertThrows(InvalidRequestException.class,
                () -> written(new RequestInput(100), request)).kind());
    }

    @Test
    void aLongDuplicateKeyIsQuotedByABoundedPrefix() {
        String key = "k".repeat(40_000); // under the parser's own name limit (50,000)

        InvalidRequestException e = refusal(new RequestInput(4 << 20), "{\"" + key + "\": 1, \"" + key + "\": 2}");

        assertTrue(e.getMessage().startsWith("input_json is not well-formed JSON: Duplicate field 'kkk"), e.getMessage());
        assertTrue(e.getMessage().length() < 400, "a message of " + e.getMessage().length() + " characters");
    }
}
