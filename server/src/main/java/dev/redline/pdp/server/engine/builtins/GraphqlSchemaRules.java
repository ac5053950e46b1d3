package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules gqlparser's validator holds a loaded schema to (validator/schema.go), which decide
 * {@code graphql.schema_is_valid} and whether the other builtins accept a schema. They are not
 * graphql-java's: gqlparser needs no query type, lets an extension create its type, and checks
 * each type (in name order) for fields, enum values, member and interface kinds, argument
 * and field types, directive use and reserved names; then input objects for non-null cycles,
 * then each directive definition. The first broken rule is the error.
 */
final class GraphqlSchemaRules {
    private static final Set<String> OUTPUT_KINDS = Set.of("SCALAR", "OBJECT", "INTERFACE", "UNION", "ENUM");
    private static final Set<String> INPUT_KINDS = Set.of("SCALAR", "ENUM", "INPUT_OBJECT");

    private final GraphqlSchema schema;

    private GraphqlSchemaRules(GraphqlSchema schema) {
        this.schema = schema;
    }

    /** Throws {@link GraphqlException} with gqlparser's reason when the schema breaks one of its rules. */
    static void check(GraphqlSchema schema) {
        GraphqlSchemaRules rules = new GraphqlSchemaRules(schema);
        rules.directives(schema.schemaDirectives(), "SCHEMA", null, true);
        for (String name : new TreeSet<>(schema.types().keySet())) {
            rules.definition(schema.types().get(name));
        }
        rules.inputCycles();
        for (String name : new TreeSet<>(schema.directives().keySet())) {
            ObjectNode d = schema.directives().get(name);
            name(name);
            rules.arguments(d.path("Arguments"), name);
        }
    }

    private void definition(ObjectNode def) {
        String kind = def.path("Kind").asText();
        String name = def.path("Name").asText();
        for (JsonNode field : def.path("Fields")) {
            name(field.path("Name").asText());
            typeRef(field.path("Type"));
            arguments(field.path("Arguments"), null);
            directives(field.path("Directives"), kind.equals("INPUT_OBJECT") ? "INPUT_FIELD_DEFINITION" : "FIELD_DEFINITION",
                    null, true);
        }
        for (JsonNode member : def.path("Types")) {
            ObjectNode type = schema.types().get(member.asText());
            if (type == null) {
                throw GraphqlSchema.failure("Undefined type \"" + member.asText() + "\".");
            }
            if (!type.path("Kind").asText().equals("OBJECT")) {
                throw GraphqlSchema.failure(kind + " type \"" + member.asText() + "\" must be OBJECT.");
            }
        }
        for (JsonNode iface : def.path("Interfaces")) {
            GraphqlImplements.check(schema, def, iface.asText());
        }
        switch (kind) {
            case "OBJECT", "INTERFACE" -> {
                requireSome(def, "Fields", "must define one or more fields.");
                fieldKinds(def, OUTPUT_KINDS);
            }
            case "ENUM" -> {
                requireSome(def, "EnumValues", "must define one or more unique enum values.");
                for (JsonNode value : def.path("EnumValues")) {
                    String v = value.path("Name").asText();
                    if (v.equals("true") || v.equals("false") || v.equals("null")) {
                        throw GraphqlSchema.failure(kind + " " + name + ": non-enum value " + v + ".");
                    }
                    directives(value.path("Directives"), "ENUM_VALUE", null, true);
                }
            }
            case "INPUT_OBJECT" -> {
                requireSome(def, "Fields", "must define one or more input fields.");
                fieldKinds(def, INPUT_KINDS);
            }
            default -> { }
        }
        unique(def.path("Fields"), n -> "Field " + name + "." + n + " can only be defined once.");
        unique(def.path("EnumValues"), n -> "Enum value " + name + "." + n + " can only be defined once.");
        Set<String> members = new HashSet<>();
        for (JsonNode member : def.path("Types")) {
            if (!members.add(member.asText())) {
                throw GraphqlSchema.failure("Union type " + name + " can only include type " + member.asText() + " once.");
            }
        }
        if (!def.path("BuiltIn").asBoolean(false)) {
            name(name);
        }
        directives(def.path("Directives"), kind, null, false);
    }

    private static void requireSome(ObjectNode def, String list, String what) {
        if (def.path(list).isEmpty()) {
            throw GraphqlSchema.failure(def.path("Kind").asText() + " " + def.path("Name").asText() + ": " + what);
        }
    }

    private void fieldKinds(ObjectNode def, Set<String> allowed) {
        for (JsonNode field : def.path("Fields")) {
            ObjectNode type = schema.types().get(GraphqlTypes.name(field.path("Type")));
            if (type != null && !allowed.contains(type.path("Kind").asText())) {
                throw GraphqlSchema.failure(def.path("Kind").asText() + " " + def.path("Name").asText()
                        + ": field must be one of " + String.join(", ", new TreeSet<>(allowed)) + ".");
            }
        }
    }

    private static void unique(JsonNode items, java.util.function.Function<String, String> message) {
        Set<String> seen = new HashSet<>();
        for (JsonNode item : items) {
            String n = item.path("Name").asText();
            if (!seen.add(n)) {
                throw GraphqlSchema.failure(message.apply(n));
            }
        }
    }

    private void typeRef(JsonNode type) {
        String named = GraphqlTypes.name(type);
        if (!schema.types().containsKey(named)) {
            throw GraphqlSchema.failure("Undefined type " + named + ".");
        }
    }

    private void arguments(JsonNode args, String directive) {
        for (JsonNode arg : args) {
            name(arg.path("Name").asText());
            typeRef(arg.path("Type"));
            ObjectNode type = schema.types().get(GraphqlTypes.name(arg.path("Type")));
            if (!INPUT_KINDS.contains(type.path("Kind").asText())) {
                throw GraphqlSchema.failure("cannot use " + GraphqlTypes.text(arg.path("Type")) + " as argument "
                        + arg.path("Name").asText() + " because " + type.path("Kind").asText()
                        + " is not a valid input type");
            }
            directives(arg.path("Directives"), "ARGUMENT_DEFINITION", directive, true);
        }
    }

    private void directives(JsonNode used, String location, String definingDirective, boolean once) {
        Set<String> seen = new HashSet<>();
        for (JsonNode dir : used) {
            String n = dir.path("Name").asText();
            name(n);
            if (n.equals(definingDirective)) {
                throw GraphqlSchema.failure("Directive " + n + " cannot refer to itself.");
            }
            ObjectNode def = schema.directives().get(n);
            if (def == null) {
                throw GraphqlSchema.failure("Undefined directive " + n + ".");
            }
            if (once && !seen.add(n) && !def.path("IsRepeatable").asBoolean(false)) {
                throw GraphqlSchema.failure("The directive " + n + " can only be used once at this location.");
            }
            if (!contains(def.path("Locations"), location)) {
                throw GraphqlSchema.failure("Directive " + n + " is not applicable on " + location + ".");
            }
            Map<String, JsonNode> given = new HashMap<>();
            for (JsonNode arg : dir.path("Arguments")) {
                if (byName(def.path("Arguments"), arg.path("Name").asText()) == null) {
                    throw GraphqlSchema.failure("Undefined argument " + arg.path("Name").asText() + " for directive " + n + ".");
                }
                given.put(arg.path("Name").asText(), arg);
            }
            for (JsonNode param : def.path("Arguments")) {
                boolean required = param.path("Type").path("NonNull").asBoolean(false) && !param.has("DefaultValue");
                JsonNode arg = given.get(param.path("Name").asText());
                if (required && (arg == null || arg.path("Value").path("Kind").asInt()
                        == GraphqlAst.ValueKind.NULL.ordinal())) {
                    throw GraphqlSchema.failure("Argument " + param.path("Name").asText() + " for directive " + n
                            + " cannot be null.");
                }
            }
        }
    }

    /** No input object may reach itself through non-null input-object fields alone. */
    private void inputCycles() {
        Set<String> visited = new HashSet<>();
        for (String name : new TreeSet<>(schema.types().keySet())) {
            ObjectNode def = schema.types().get(name);
            if (def.path("Kind").asText().equals("INPUT_OBJECT")) {
                cycleFrom(def, visited, new ArrayList<>(), new HashMap<>());
            }
        }
    }

    private void cycleFrom(ObjectNode def, Set<String> visited, List<String> path, Map<String, Integer> onPath) {
        if (!visited.add(def.path("Name").asText())) {
            return;
        }
        onPath.put(def.path("Name").asText(), path.size());
        for (JsonNode field : def.path("Fields")) {
            JsonNode type = field.path("Type");
            if (!type.path("NonNull").asBoolean(false) || type.path("NamedType").asText("").isEmpty()) {
                continue;
            }
            ObjectNode target = schema.types().get(type.path("NamedType").asText());
            if (target == null || !target.path("Kind").asText().equals("INPUT_OBJECT")) {
                continue;
            }
            path.add(field.path("Name").asText());
            Integer start = onPath.get(target.path("Name").asText());
            if (start != null) {
                throw GraphqlSchema.failure("Cannot reference Input Object \"" + target.path("Name").asText()
                        + "\" within itself through a series of non-null fields: \""
                        + String.join(".", path.subList(start, path.size())) + "\".");
            }
            cycleFrom(target, visited, path, onPath);
            path.remove(path.size() - 1);
        }
        onPath.remove(def.path("Name").asText());
    }

    /** Names beginning with "__" are reserved for introspection. */
    private static void name(String name) {
        if (name.startsWith("__")) {
            throw GraphqlSchema.failure("Name \"" + name + "\" must not begin with \"__\", which is reserved by GraphQL introspection.");
        }
    }

    static JsonNode byName(JsonNode list, String name) {
        for (JsonNode item : list) {
            if (item.path("Name").asText().equals(name)) {
                return item;
            }
        }
        return null;
    }

    private static boolean contains(JsonNode list, String text) {
        for (JsonNode item : list) {
            if (item.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }
}
