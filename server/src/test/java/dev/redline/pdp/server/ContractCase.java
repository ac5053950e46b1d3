package dev.redline.pdp.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One case of the contract corpus (src/test/resources/contract-cases): an input and the exact
 * decision the spec demands for it.
 */
record ContractCase(String name, String description, Struct input, boolean allow, List<ExpectedViolation> violations,
        List<String> obligations) {

    /** A violation the spec demands: its code and the contract clause that code belongs to. */
    record ExpectedViolation(String code, String clause) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String toString() {
        return name;
    }

    static List<ContractCase> all() {
        try (Stream<Path> files = Files.list(directory())) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().map(ContractCase::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ContractCase named(String name) {
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
            return new ContractCase(name, node.path("description").asText(), struct(node.path("input")),
                    expect.path("allow").booleanValue(), violations(expect.path("violations")),
                    texts(expect.path("obligations")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Struct struct(JsonNode json) {
        Struct.Builder struct = Struct.newBuilder();
        try {
            JsonFormat.parser().merge(json.toString(), struct);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(e);
        }
        return struct.build();
    }

    static Struct struct(String json) {
        try {
            return struct(JSON.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The codes of {@link #violations}, in order. */
    List<String> violationCodes() {
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
