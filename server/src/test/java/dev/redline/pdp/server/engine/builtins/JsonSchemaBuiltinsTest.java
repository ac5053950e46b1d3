package dev.redline.pdp.server.engine.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** json.match_schema refuses a schema gojsonschema cannot read with gojsonschema's text, and never fetches a $ref. */
class JsonSchemaBuiltinsTest {
    private static JsonNode[] terms(String... texts) {
        JsonNode[] out = new JsonNode[texts.length];
        for (int i = 0; i < texts.length; i++) {
            out[i] = ValueText.parse(texts[i].getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void aSchemaWithAnUnknownTypeIsRefusedWithGojsonschemasText() {
        BuiltinError e = assertThrows(BuiltinError.class, () -> HostBuiltins.body("json.match_schema")
                .apply(terms("{\"id\": \"foo\"}", "{\"properties\": {\"id\": {\"type\": \"unknown\"}}}")));
        assertEquals("json.match_schema: has a primitive type that is NOT VALID -- given: /unknown/ Expected valid values"
                + " are:[array boolean integer number null object string]", e.getMessage());
    }

    @Test
    void aDocumentThatIsNotJsonTextIsRefused() {
        BuiltinError e = assertThrows(BuiltinError.class, () -> HostBuiltins.body("json.match_schema")
                .apply(terms("\"{\"", "{}")));
        assertEquals("json.match_schema: invalid JSON string", e.getMessage());
    }

    @Test
    void aRemoteRefIsNotFetched() {
        JsonNode result = HostBuiltins.body("json.verify_schema")
                .apply(terms("{\"$ref\": \"http://127.0.0.1:9/schema.json\"}"));
        assertEquals(Operands.bool(false), result.get(0), result.toString());
    }
}
