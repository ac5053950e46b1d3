package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/** JSON and YAML validity and (un)marshalling, hex, base64url without padding, as OPA's topdown/encoding.go. */
final class EncodingBuiltins {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private EncodingBuiltins() {}

    static void addTo(Map<String, HostFunction.Body> builtins) {
        builtins.put("json.is_valid", ops -> Operands.bool(ops[0].isTextual() && parsesAsJson(ops[0].textValue())));
        builtins.put("yaml.is_valid", ops -> Operands.bool(ops[0].isTextual() && yamlDocument(ops[0].textValue()) != null));
        builtins.put("yaml.unmarshal", EncodingBuiltins::yamlUnmarshal);
        builtins.put("yaml.marshal", EncodingBuiltins::yamlMarshal);
        builtins.put("json.marshal_with_options", EncodingBuiltins::jsonMarshalWithOptions);
        builtins.put("hex.encode", ops -> Operands.text(HexFormat.of().formatHex(
                Operands.string("hex.encode", ops, 0).getBytes(StandardCharsets.UTF_8))));
        builtins.put("hex.decode", ops -> Operands.text(new String(HexFormat.of().parseHex(
                Operands.string("hex.decode", ops, 0)), StandardCharsets.UTF_8)));
        builtins.put("base64url.encode_no_pad", ops -> Operands.text(Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Operands.string("base64url.encode_no_pad", ops, 0).getBytes(StandardCharsets.UTF_8))));
    }

    /** Options prefix, indent (either implies pretty) and pretty, as OPA reads them; pretty output starts with the prefix. */
    private static JsonNode jsonMarshalWithOptions(JsonNode[] ops) {
        JsonNode options = Operands.object("json.marshal_with_options", ops, 1);
        String indent = "\t";
        String prefix = "";
        boolean implied = false;
        Boolean pretty = null;
        for (var it = options.fields(); it.hasNext();) {
            var option = it.next();
            JsonNode v = option.getValue();
            switch (option.getKey()) {
                case "prefix", "indent" -> {
                    if (!v.isTextual()) {
                        throw new BuiltinError("json.marshal_with_options", "key " + option.getKey()
                                + " failed cast to string");
                    }
                    if (option.getKey().equals("prefix")) {
                        prefix = v.textValue();
                    } else {
                        indent = v.textValue();
                    }
                    implied = true;
                }
                case "pretty" -> {
                    if (!v.isBoolean()) {
                        throw new BuiltinError("json.marshal_with_options", "key pretty failed cast to bool");
                    }
                    pretty = v.booleanValue();
                }
                default -> throw new BuiltinError("json.marshal_with_options", "object contained unknown key "
                        + option.getKey());
            }
        }
        boolean indented = pretty != null ? pretty : implied;
        return Operands.text(indented ? prefix + GoJson.write(ops[0], prefix, indent) : GoJson.write(ops[0], "", null));
    }

    private static boolean parsesAsJson(String text) {
        try {
            Json.MAPPER.readTree(text);
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /**
     * The first document of a YAML stream, or null when any document in it is malformed (OPA's
     * YAML parser reads the whole stream); an empty stream is null, the YAML null.
     */
    private static JsonNode yamlDocument(String text) {
        try (JsonParser docs = YAML.createParser(text)) {
            JsonNode first = null;
            while (docs.nextToken() != null) {
                JsonNode doc = YAML.readTree(docs);
                if (first == null) {
                    first = doc;
                }
            }
            return first == null ? Operands.NODES.nullNode() : first;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static JsonNode yamlUnmarshal(JsonNode[] ops) {
        JsonNode doc = yamlDocument(Operands.string("yaml.unmarshal", ops, 0));
        if (doc == null) {
            throw new BuiltinError("yaml.unmarshal", "the text is not valid YAML");
        }
        return doc;
    }

    /** Keys sorted and no document marker, as OPA's YAML writer. */
    private static JsonNode yamlMarshal(JsonNode[] ops) {
        try {
            Object plain = Json.MAPPER.convertValue(ops[0], Object.class);
            return Operands.text(YAML.writeValueAsString(plain));
        } catch (JsonProcessingException e) {
            throw new BuiltinError("yaml.marshal", e.getOriginalMessage());
        }
    }
}
