package dev.redline.pdp.server.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.server.decision.Caller;
import dev.redline.pdp.server.decision.InvalidRequestException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The policy's {@code input.caller} is the verified caller, whatever the request says, in both
 * forms a request can carry its input in.
 */
class VerifiedCallerInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Caller ANONYMOUS = new Caller(Optional.of("127.0.0.1:1"), Optional.empty());
    private static final Caller GATEWAY = new Caller(Optional.of("127.0.0.1:1"),
            Optional.of("spiffe://example.org/gateway"), Optional.of("mtls"), Optional.empty());
    private static final String GATEWAY_FIELD =
            "\"caller\":{\"principal\":\"spiffe://example.org/gateway\",\"method\":\"mtls\"}";
    private static final String FORGED_FIELD =
            "\"caller\": {\"principal\": \"spiffe://provider.example/model-serving\", \"method\": \"mtls\"}";

    /** The two ways a request carries its input. */
    enum Form {
        STRUCT {
            @Override
            DecideRequest request(String json) {
                Struct.Builder input = Struct.newBuilder();
                try {
                    JsonFormat.parser().merge(json, input);
                } catch (InvalidProtocolBufferException e) {
                    throw new UncheckedIOException(e);
                }
                return DecideRequest.newBuilder().setInput(input).build();
            }
        },
        INPUT_JSON {
            @Override
            DecideRequest request(String json) {
                return DecideRequest.newBuilder().setInputJson(json).build();
            }
        };

        abstract DecideRequest request(String json);
    }

    private static String written(Form form, String json, Caller caller) {
        JsonBuffer out = new JsonBuffer(8);
        new RequestInput(1 << 20).write(form.request(json), out, caller);
        return new String(out.bytes(), 0, out.length(), UTF_8);
    }

    private static JsonNode tree(String json) throws Exception {
        return JSON.readTree(json);
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void aForgedCallerIsRemovedWhenTheCallIsNotAuthenticated(Form form) throws Exception {
        assertEquals(tree("{\"subject\":{\"org\":\"provider\"}}"),
                tree(written(form, "{\"subject\": {\"org\": \"provider\"}, " + FORGED_FIELD + "}", ANONYMOUS)));
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void aForgedCallerIsReplacedByTheVerifiedOne(Form form) throws Exception {
        assertEquals(tree("{\"subject\":{\"org\":\"provider\"}," + GATEWAY_FIELD + "}"),
                tree(written(form, "{\"subject\": {\"org\": \"provider\"}, " + FORGED_FIELD + "}", GATEWAY)));
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void theVerifiedCallerIsAddedToAnInputWithoutOne(Form form) {
        assertEquals("{" + GATEWAY_FIELD + "}", written(form, "{}", GATEWAY));
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void aPrincipalNamedWithoutAVerificationMethodDoesNotReachThePolicy(Form form) throws Exception {
        Caller unnamedMethod = new Caller(Optional.empty(), Optional.of("someone"));

        assertEquals(tree("{}"), tree(written(form, "{" + FORGED_FIELD + "}", unnamedMethod)));
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void aCallerNestedDeeperIsTheCallersOwnDataAndKept(Form form) throws Exception {
        assertEquals(tree("{\"context\":{\"caller\":\"x\"}," + GATEWAY_FIELD + "}"),
                tree(written(form, "{\"context\": {\"caller\": \"x\"}}", GATEWAY)));
    }

    @Test
    void aPrincipalWithQuotesIsEscaped() throws Exception {
        Caller odd = new Caller(Optional.empty(), Optional.of("CN=a \"b\",O=c"), Optional.of("mtls"), Optional.empty());

        assertEquals("CN=a \"b\",O=c", tree(written(Form.INPUT_JSON, "{}", odd)).path("caller").path("principal").asText());
    }

    /** Wherever the caller's own field sits among the members, and however it is spaced, it is cut cleanly. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"caller\":1,\"a\":1,\"b\":2}",
            "{\"a\":1,\"caller\":1,\"b\":2}",
            "{\"a\":1,\"b\":2,\"caller\":1}",
            "{ \"a\" : 1 ,\n \"b\" : 2 , \"caller\" : { \"x\" : [ 1 , { } ] } \n}",
            "{\n  \"caller\" : \"x\" ,\n  \"a\" : 1,\n  \"b\" : 2\n}  ",
            "{\"a\":1,\"\\u0063aller\":true,\"b\":2}"})
    void aForgedCallerInInputJsonIsCutWhereverItStands(String text) throws Exception {
        assertEquals(tree("{\"a\":1,\"b\":2}"), tree(written(Form.INPUT_JSON, text, ANONYMOUS)));
        assertEquals(tree("{\"a\":1,\"b\":2," + GATEWAY_FIELD + "}"), tree(written(Form.INPUT_JSON, text, GATEWAY)));
    }

    @Test
    void anInputOfOnlyAForgedCallerBecomesTheEmptyObject() throws Exception {
        assertEquals(tree("{}"), tree(written(Form.INPUT_JSON, "{ \"caller\": {\"principal\": \"p\"} }", ANONYMOUS)));
    }

    @Test
    void inputJsonWithoutACallerFromAnUnverifiedCallIsLeftAsSent() {
        String text = "{ \"n\": 18446744073709551614 , \"s\": \"callers\" }";

        assertEquals(text, written(Form.INPUT_JSON, text, ANONYMOUS));
    }

    @Test
    void theVerifiedCallerCountsTowardsTheInputLimit() {
        JsonBuffer out = new JsonBuffer(8);
        RequestInput inputs = new RequestInput(30);

        assertThrows(InvalidRequestException.class,
                () -> inputs.write(Form.INPUT_JSON.request("{\"a\":1}"), out, GATEWAY));
    }
}
