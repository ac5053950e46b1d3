package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code json.verify_schema} and {@code json.match_schema}, validated by networknt's
 * json-schema-validator (draft 7 unless the schema names its own) and answered in the shape OPA's
 * gojsonschema gives: the schema errors gojsonschema raises while reading a schema (a type name
 * that is no JSON type, a keyword of the wrong kind) with its texts, and each document error as
 * {@code {error, type, field, desc}} with gojsonschema's type names, field paths and descriptions.
 * A {@code $ref} is never fetched from the network or the file system: a sandboxed PDP reads nothing
 * the policy does not carry.
 */
final class JsonSchemaBuiltins {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .setNodeFactory(Operands.NODES);
    private static final Set<String> ADDITIONAL_ITEMS = Set.of("additionalItems", "items");
    private static final List<String> JSON_TYPES =
            List.of("array", "boolean", "integer", "number", "null", "object", "string");
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
            registry -> registry.schemaLoader(loader -> loader.fetchRemoteResources(false)));

    private JsonSchemaBuiltins() {}

    static void addTo(Map<String, HostFunction.Body> builtins) {
        builtins.put("json.verify_schema", ops -> {
            try {
                compile(document(ops[0]));
                return result(true, Operands.NODES.nullNode());
            } catch (SchemaRefused e) {
                return result(false, Operands.text("jsonschema: " + e.getMessage()));
            }
        });
        builtins.put("json.match_schema", ops -> {
            String name = "json.match_schema";
            try {
                JsonNode document = document(ops[0]);
                Schema schema = compile(document(ops[1]));
                ArrayNode errors = Operands.array();
                List<Error> found = schema.validate(document);
                Set<String> mistyped = new HashSet<>();
                for (Error e : found) {
                    if ("type".equals(e.getKeyword())) {
                        mistyped.add(schemaAndValue(e));
                    }
                }
                Set<String> extraItemsReported = new HashSet<>();
                for (Error e : found) {
                    // gojsonschema checks a value's type first and checks nothing else of that schema on a mistyped value
                    boolean afterMistype = !"type".equals(e.getKeyword()) && mistyped.contains(schemaAndValue(e));
                    // and it reports an array's extra items once, where networknt reports each
                    boolean extraItemAgain = ADDITIONAL_ITEMS.contains(e.getKeyword()) && !extraItemsReported.add(schemaAndValue(e));
                    if (!afterMistype && !extraItemAgain) {
                        errors.add(goError(e));
                    }
                }
                return result(errors.isEmpty(), errors);
            } catch (SchemaRefused e) {
                throw new BuiltinError(name, e.getMessage());
            }
        });
    }

    private static JsonNode result(boolean valid, JsonNode detail) {
        return Operands.array().add(Operands.bool(valid)).add(detail);
    }

    /** A string operand is JSON text, an object or array is the JSON itself, as OPA's loaders read them. */
    private static JsonNode document(JsonNode operand) {
        if (operand.isTextual()) {
            try {
                return JSON.readTree(operand.textValue());
            } catch (JsonProcessingException e) {
                throw new SchemaRefused("invalid JSON string");
            }
        }
        if (operand.isObject() || operand.isArray()) {
            return operand;
        }
        throw new SchemaRefused("wrong type, expected string or object");
    }

    private static Schema compile(JsonNode schema) {
        checkShape(schema);
        try {
            Schema compiled = REGISTRY.getSchema(schema);
            compiled.initializeValidators();
            return compiled;
        } catch (SchemaException | IllegalArgumentException e) {
            throw new SchemaRefused(e.getMessage());
        }
    }

    /** The schema errors gojsonschema raises while it reads a schema, checked before networknt compiles it. */
    private static void checkShape(JsonNode schema) {
        if (!schema.isObject()) {
            return;
        }
        JsonNode type = schema.get("type");
        if (type != null) {
            checkTypes(type);
        }
        for (String key : List.of("minimum", "maximum")) {
            if (schema.has(key) && !schema.get(key).isNumber()) {
                throw new SchemaRefused(key + " must be of a Number");
            }
        }
        if (schema.has("multipleOf")) {
            JsonNode multiple = schema.get("multipleOf");
            if (!multiple.isNumber()) {
                throw new SchemaRefused("Invalid type. Expected: Number, given: multipleOf");
            }
            if (multiple.decimalValue().signum() <= 0) {
                throw new SchemaRefused("multipleOf must be strictly greater than 0");
            }
        }
        for (String key : List.of("minLength", "maxLength", "minProperties", "maxProperties", "minItems", "maxItems")) {
            JsonNode bound = schema.get(key);
            if (bound == null) {
                continue;
            }
            if (!bound.isIntegralNumber() && !(bound.isNumber() && bound.decimalValue().stripTrailingZeros().scale() <= 0)) {
                throw new SchemaRefused(key + " must be of an integer");
            }
            if (bound.decimalValue().signum() < 0) {
                throw new SchemaRefused(key + " must be greater than or equal to 0");
            }
        }
        JsonNode pattern = schema.get("pattern");
        if (pattern != null) {
            if (!pattern.isTextual()) {
                throw new SchemaRefused("Invalid type. Expected: string, given: pattern");
            }
            try {
                Pattern.compile(pattern.textValue());
            } catch (PatternSyntaxException e) {
                throw new SchemaRefused("pattern must be a valid regex");
            }
        }
        JsonNode properties = schema.get("properties");
        if (properties != null && !properties.isObject()) {
            throw new SchemaRefused("Properties must be of type object");
        }
        for (String key : List.of("properties", "patternProperties", "definitions", "$defs", "dependencies")) {
            JsonNode group = schema.get(key);
            if (group != null && group.isObject()) {
                group.forEach(JsonSchemaBuiltins::checkShape);
            }
        }
        for (String key : List.of("additionalProperties", "items", "additionalItems", "not", "if", "then", "else",
                "contains", "propertyNames", "allOf", "anyOf", "oneOf")) {
            JsonNode sub = schema.get(key);
            if (sub != null && sub.isArray()) {
                sub.forEach(JsonSchemaBuiltins::checkShape);
            } else if (sub != null) {
                checkShape(sub);
            }
        }
    }

    private static void checkTypes(JsonNode type) {
        List<JsonNode> names = new ArrayList<>();
        if (type.isArray()) {
            type.forEach(names::add);
        } else {
            names.add(type);
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode name : names) {
            if (!name.isTextual()) {
                throw new SchemaRefused("Invalid type. Expected: string/Array Of Strings, given: type");
            }
            if (!JSON_TYPES.contains(name.textValue())) {
                throw new SchemaRefused("has a primitive type that is NOT VALID -- given: /" + name.textValue()
                        + "/ Expected valid values are:[" + String.join(" ", JSON_TYPES) + "]");
            }
            if (!seen.add(name.textValue())) {
                throw new SchemaRefused(name.textValue() + " type is duplicated");
            }
        }
    }

    /** The schema an error's keyword belongs to and the value it is about. */
    private static String schemaAndValue(Error e) {
        NodePath keyword = e.getEvaluationPath();
        return (keyword == null ? "" : String.valueOf(keyword.getParent())) + " " + e.getInstanceLocation();
    }

    /** One validation error as gojsonschema reports it. */
    private static JsonNode goError(Error e) {
        String field = field(e);
        String[] typeAndDescription = typeAndDescription(e, field);
        ObjectNode out = Operands.NODES.objectNode();
        out.put("desc", typeAndDescription[1]);
        out.put("error", field + ": " + typeAndDescription[1]);
        out.put("field", field);
        out.put("type", typeAndDescription[0]);
        return out;
    }

    /** gojsonschema's context of the value the error is about: "(Root)" and its dotted path, without the "(Root)." prefix. */
    private static String field(Error e) {
        NodePath at = e.getInstanceLocation();
        if (at == null || at.getNameCount() == 0) {
            return "(Root)";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < at.getNameCount(); i++) {
            out.append(i == 0 ? "" : ".").append(at.getElement(i));
        }
        return out.toString();
    }

    private static String[] typeAndDescription(Error e, String field) {
        JsonNode keywordValue = e.getSchemaNode();
        String bound = keywordValue == null ? "" : keywordValue.asText();
        return switch (e.getKeyword() == null ? "" : e.getKeyword()) {
            case "type" -> new String[] {"invalid_type",
                    "Invalid type. Expected: " + expectedTypes(keywordValue) + ", given: " + goType(e.getInstanceNode())};
            case "required" -> new String[] {"required", e.getProperty() + " is required"};
            case "enum" -> new String[] {"enum", field + " must be one of the following: " + allowed(keywordValue)};
            case "const" -> new String[] {"const", field + " does not match: " + allowed(keywordValue)};
            case "minLength" -> new String[] {"string_gte", "String length must be greater than or equal to " + bound};
            case "maxLength" -> new String[] {"string_lte", "String length must be less than or equal to " + bound};
            case "pattern" -> new String[] {"pattern", "Does not match pattern '" + bound + "'"};
            case "format" -> new String[] {"format", "Does not match format '" + bound + "'"};
            case "minimum" -> new String[] {"number_gte", "Must be greater than or equal to " + bound};
            case "exclusiveMinimum" -> new String[] {"number_gt", "Must be greater than " + bound};
            case "maximum" -> new String[] {"number_lte", "Must be less than or equal to " + bound};
            case "exclusiveMaximum" -> new String[] {"number_lt", "Must be less than " + bound};
            case "multipleOf" -> new String[] {"multiple_of", "Must be a multiple of " + bound};
            case "minItems" -> new String[] {"array_min_items", "Array must have at least " + bound + " items"};
            case "maxItems" -> new String[] {"array_max_items", "Array must have at most " + bound + " items"};
            case "uniqueItems" -> new String[] {"unique", "array items" + duplicatePair(e.getInstanceNode()) + " must be unique"};
            case "minProperties" -> new String[] {"array_min_properties", "Must have at least " + bound + " properties"};
            case "maxProperties" -> new String[] {"array_max_properties", "Must have at most " + bound + " properties"};
            case "additionalProperties" -> new String[] {"additional_property_not_allowed",
                    "Additional property " + e.getProperty() + " is not allowed"};
            case "additionalItems", "items" -> new String[] {"array_no_additional_items", "No additional items allowed on array"};
            case "anyOf" -> new String[] {"number_any_of", "Must validate at least one schema (anyOf)"};
            case "oneOf" -> new String[] {"number_one_of", "Must validate one and only one schema (oneOf)"};
            case "allOf" -> new String[] {"number_all_of", "Must validate all the schemas (allOf)"};
            case "not" -> new String[] {"number_not", "Must not validate the schema (not)"};
            case "contains" -> new String[] {"contains", "At least one of the items must match"};
            case "dependencies", "dependentRequired" -> new String[] {"missing_dependency",
                    "Has a dependency on " + dependency(keywordValue, e)};
            case "then" -> new String[] {"condition_then", "Must validate \"then\" as \"if\" was valid"};
            case "else" -> new String[] {"condition_else", "Must validate \"else\" as \"if\" was not valid"};
            case "false" -> new String[] {"false", "False always fails validation"};
            default -> new String[] {e.getKeyword(), e.getMessage()};
        };
    }

    private static String expectedTypes(JsonNode type) {
        if (type == null) {
            return "Undefined";
        }
        if (!type.isArray()) {
            return type.asText();
        }
        if (type.size() == 1) {
            return type.get(0).asText();
        }
        List<String> names = new ArrayList<>();
        type.forEach(t -> names.add(t.asText()));
        return "[" + String.join(",", names) + "]";
    }

    /** The JSON type gojsonschema names for a value; a number with no fraction is an integer. */
    private static String goType(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        if (v.isNumber()) {
            return v.isIntegralNumber() || v.decimalValue().stripTrailingZeros().scale() <= 0 ? "integer" : "number";
        }
        if (v.isTextual()) {
            return "string";
        }
        if (v.isBoolean()) {
            return "boolean";
        }
        return v.isArray() ? "array" : "object";
    }

    /** An enum's or const's values as JSON texts joined by ", ". */
    private static String allowed(JsonNode values) {
        if (values == null) {
            return "";
        }
        if (!values.isArray()) {
            return values.toString();
        }
        List<String> texts = new ArrayList<>();
        values.forEach(v -> texts.add(v.toString()));
        return String.join(", ", texts);
    }

    /** The first pair of equal items, as gojsonschema names it: [first index,second index]. */
    private static String duplicatePair(JsonNode array) {
        if (array != null) {
            for (int j = 0; j < array.size(); j++) {
                for (int i = 0; i < j; i++) {
                    if (array.get(i).equals(array.get(j))) {
                        return "[" + i + "," + j + "]";
                    }
                }
            }
        }
        return "[]";
    }

    /** The first property a present property depends on that the object lacks. */
    private static String dependency(JsonNode dependencies, Error e) {
        JsonNode object = e.getInstanceNode();
        if (dependencies == null || object == null) {
            return "";
        }
        List<String> keys = new ArrayList<>();
        if (e.getProperty() != null && dependencies.has(e.getProperty())) {
            keys.add(e.getProperty());
        } else {
            dependencies.fieldNames().forEachRemaining(keys::add);
        }
        for (String key : keys) {
            if (!object.has(key)) {
                continue;
            }
            for (JsonNode needed : dependencies.get(key)) {
                if (needed.isTextual() && !object.has(needed.textValue())) {
                    return needed.textValue();
                }
            }
        }
        return "";
    }

    /** A schema gojsonschema would not read, or a document that is not JSON; its message is OPA's text. */
    private static final class SchemaRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SchemaRefused(String message) {
            super(message, null, false, false);
        }
    }
}
