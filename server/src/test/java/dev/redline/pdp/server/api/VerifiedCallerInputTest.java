package dev.redline.pdp.server.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.redline.pdp.server.decision.Caller;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The policy's {@code input.caller} is the verified caller, whatever the request says. */
class VerifiedCallerInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Caller ANONYMOUS = new Caller(Optional.of("127.0.0.1:1"), Optional.empty(), Optional.empty());
    private static final Caller GATEWAY = new Caller(Optional.of("127.0.0.1:1"),
            Optional.of("spiffe://example.org/gateway"), Optional.of("mtls"));

    private static Struct forged() {
        Struct caller = Struct.newBuilder()
                .putFields("principal", Value.newBuilder().setStringValue("spiffe://provider.example/model-serving").build())
                .putFields("method", Value.newBuilder().setStringValue("mtls").build())
                .build();
        return Struct.newBuilder()
                .putFields("subject", Value.newBuilder().setStructValue(Struct.newBuilder()
                        .putFields("org", Value.newBuilder().setStringValue("provider").build())).build())
                .putFields("caller", Value.newBuilder().setStructValue(caller).build())
                .build();
    }

    private static String write(Struct input, Caller caller) {
        JsonBuffer out = new JsonBuffer(64);
        new StructJsonWriter(1 << 20).write(input, out, caller);
        return new String(out.bytes(), 0, out.length(), UTF_8);
    }

    @Test
    void aForgedCallerIsRemovedWhenTheCallIsNotAuthenticated() throws Exception {
        assertEquals(JSON.readTree("{\"subject\":{\"org\":\"provider\"}}"), JSON.readTree(write(forged(), ANONYMOUS)));
    }

    @Test
    void aForgedCallerIsReplacedByTheVerifiedOne() throws Exception {
        assertEquals(JSON.readTree("{\"subject\":{\"org\":\"provider\"},"
                        + "\"caller\":{\"principal\":\"spiffe://example.org/gateway\",\"method\":\"mtls\"}}"),
                JSON.readTree(write(forged(), GATEWAY)));
    }

    @Test
    void theVerifiedCallerIsAddedToAnInputWithoutOne() {
        assertEquals("{\"caller\":{\"principal\":\"spiffe://example.org/gateway\",\"method\":\"mtls\"}}",
                write(Struct.getDefaultInstance(), GATEWAY));
    }

    @Test
    void aPrincipalNamedWithoutAVerificationMethodDoesNotReachThePolicy() {
        Caller unnamedMethod = new Caller(Optional.empty(), Optional.of("someone"));

        assertEquals("{}", write(forged().toBuilder().removeFields("subject").build(), unnamedMethod));
    }

    @Test
    void aCallerNestedDeeperIsTheCallersOwnDataAndKept() throws Exception {
        Struct input = Struct.newBuilder().putFields("context", Value.newBuilder().setStructValue(Struct.newBuilder()
                .putFields("caller", Value.newBuilder().setStringValue("x").build())).build()).build();

        assertEquals(JSON.readTree("{\"context\":{\"caller\":\"x\"}}"), JSON.readTree(write(input, ANONYMOUS)));
    }

    @Test
    void aPrincipalWithQuotesIsEscaped() throws Exception {
        Caller odd = new Caller(Optional.empty(), Optional.of("CN=a \"b\",O=c"), Optional.of("mtls"));

        assertEquals("CN=a \"b\",O=c",
                JSON.readTree(write(Struct.getDefaultInstance(), odd)).path("caller").path("principal").asText());
    }
}
