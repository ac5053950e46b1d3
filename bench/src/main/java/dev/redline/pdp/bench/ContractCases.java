package dev.redline.pdp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.sdk.ContractInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The benchmark inputs: the "input" documents of the contract test corpus
 * (server/src/test/resources/contract-cases, copied onto this module's class path at build time).
 */
final class ContractCases {
    /** The contract entrypoint, as the PDP, the SDK and OPA name it. */
    static final String CONTRACT_PATH = "contract/decision";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ContractCases() {}

    /** The whole case file: {"description", "input", "expect"}. */
    static JsonNode read(String name) {
        String resource = "/contract-cases/" + name + ".json";
        try (InputStream in = ContractCases.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no contract case " + resource + " on the class path");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("contract case " + resource + " cannot be read", e);
        }
    }

    /** The case's input document as compact UTF-8 JSON, as the gRPC adapter hands it to the engine. */
    static byte[] inputJson(String name) {
        try {
            return JSON.writeValueAsBytes(read(name).get("input"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the corpus expects the case to be allowed. */
    static boolean expectedAllow(String name) {
        return read(name).path("expect").path("allow").asBoolean(false);
    }

    /** The case's input as an SDK {@link ContractInput}, each top-level block set as a field. */
    @SuppressWarnings("unchecked")
    static ContractInput contractInput(String name) {
        ContractInput.Builder builder = ContractInput.builder();
        Iterator<Map.Entry<String, JsonNode>> fields = read(name).get("input").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            builder.field(field.getKey(), JSON.convertValue(field.getValue(), Object.class));
        }
        return builder.build();
    }
}
