package dev.redline.pdp.server.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.redline.pdp.server.bundle.BuiltInBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One case of the contract corpus (src/test/resources/contract-cases): an input and the exact
 * decision the spec demands for it. The cases of the subdirectory {@code with-data/} also carry
 * {@link #data}: parameters that replace those of the default policy data (data.contract) for
 * that case alone, such as a non-empty provider_principals.
 */
public record ContractCase(String name, String description, Struct input, boolean allow, List<ExpectedViolation> violations,
        List<String> obligations, ObjectNode data) {

    /** A violation the spec demands: its code and the contract clause that code belongs to. */
    public record ExpectedViolation(String code, String clause) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String toString() {
        return name;
    }

    /** The cases decided with the default policy data. */
    public static List<ContractCase> all() {
        return list(directory());
    }

    /** The cases that each need their own policy data (a bundle of their own). */
    public static List<ContractCase> withData() {
        return list(directory().resolve("with-data"));
    }

    private static List<ContractCase> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().map(ContractCase::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ContractCase named(String name) {
        return read(directory().resolve(name + ".json"));
    }

    private static Path directory() {
        try {
            return Path.of(ContractCase.class.getResource("/contract-cases").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ContractCase read(Path file) {
        try {
            JsonNode node = JSON.readTree(file.toFile());
            String name = file.getFileName().toString().replace(".json", "");
            JsonNode expect = node.path("expect");
            JsonNode data = node.path("data");
            return new ContractCase(name, node.path("description").asText(), struct(node.path("input")),
                    expect.path("allow").booleanValue(), violations(expect.path("violations")),
                    texts(expect.path("obligations")),
                    data.isObject() ? (ObjectNode) data : JSON.createObjectNode());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Struct struct(JsonNode json) {
        Struct.Builder struct = Struct.newBuilder();
        try {
            JsonFormat.parser().merge(json.toString(), struct);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e);
        }
        return struct.build();
    }

    public static Struct struct(String json) {
        try {
            return struct(JSON.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The built-in contract bundle with this case's {@link #data} set over data.contract, key by
     * key; the policy itself is unchanged.
     *
     * @throws IllegalStateException when the built-in bundle has no default for a key of the case's
     *     data: its policy predates the parameter and would ignore it, deciding the case as if the
     *     data were unset (a stale pdp-policies jar from the local Maven repository, not this tree's)
     */
    public byte[] bundle() throws IOException {
        Map<String, byte[]> files = TestArchives.read(BuiltInBundle.archive());
        ObjectNode defaults = (ObjectNode) JSON.readTree(files.get("/data.json"));
        ObjectNode contract = (ObjectNode) defaults.get("contract");
        data.fieldNames().forEachRemaining(key -> {
            if (!contract.has(key)) {
                throw new IllegalStateException("case " + name + " sets data.contract." + key
                        + ", which the built-in bundle on the classpath does not know: that bundle was built from"
                        + " older policies (a pdp-policies jar from ~/.m2?); build the policies module with the server"
                        + " (mvn -pl server -am ...)");
            }
        });
        contract.setAll(data);
        files.put("/data.json", JSON.writeValueAsBytes(defaults));
        return TestArchives.of(files);
    }

    /** The codes of {@link #violations}, in order. */
    public List<String> violationCodes() {
        return violations.stream().map(ExpectedViolation::code).toList();
    }

    private static List<ExpectedViolation> violations(JsonNode array) {
        List<ExpectedViolation> violations = new ArrayList<>();
        array.forEach(item -> {
            if (!item.path("code").isTextual() || !item.path("clause").isTextual()) {
                throw new IllegalArgumentException("an expected violation needs a code and a clause: " + item);
            }
            violations.add(new ExpectedViolation(item.get("code").asText(), item.get("clause").asText()));
        });
        return violations;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
