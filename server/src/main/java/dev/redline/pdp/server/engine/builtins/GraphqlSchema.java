package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A schema document loaded as gqlparser's {@code ValidateSchemaDocument} loads it: the prelude
 * (built-in scalars, directives and introspection types) first, then the document's types, each
 * extension folded into its type (a type only ever extended is created by its first extension),
 * directive definitions (a document may redefine a built-in directive), and the root operation
 * types. {@link GraphqlSchemaRules} then decides whether it is valid.
 *
 * @param types every type by name, extensions folded in (gqlparser's {@code Schema.Types})
 * @param directives every directive definition by name
 * @param roots the root type's name per operation ("query", "mutation", "subscription")
 * @param schemaDirectives the directives on the schema definition and its extensions
 */
record GraphqlSchema(Map<String, ObjectNode> types, Map<String, ObjectNode> directives, Map<String, String> roots,
        ArrayNode schemaDirectives) {

    /** The built-in definitions every schema starts from, as gqlparser's prelude.graphql has them. */
    private static final String PRELUDE = """
            scalar Int
            scalar Float
            scalar String
            scalar Boolean
            scalar ID
            directive @defer(if: Boolean = true, label: String) on FRAGMENT_SPREAD | INLINE_FRAGMENT
            directive @include(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
            directive @skip(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
            directive @deprecated(reason: String = "No longer supported") on FIELD_DEFINITION | ARGUMENT_DEFINITION \
            | INPUT_FIELD_DEFINITION | ENUM_VALUE
            directive @specifiedBy(url: String!) on SCALAR
            directive @oneOf on INPUT_OBJECT
            type __Schema { description: String types: [__Type!]! queryType: __Type! mutationType: __Type
              subscriptionType: __Type directives: [__Directive!]! }
            type __Type { kind: __TypeKind! name: String description: String specifiedByURL: String
              fields(includeDeprecated: Boolean = false): [__Field!] interfaces: [__Type!] possibleTypes: [__Type!]
              enumValues(includeDeprecated: Boolean = false): [__EnumValue!]
              inputFields(includeDeprecated: Boolean = false): [__InputValue!] ofType: __Type isOneOf: Boolean }
            enum __TypeKind { SCALAR OBJECT INTERFACE UNION ENUM INPUT_OBJECT LIST NON_NULL }
            type __Field { name: String! description: String args(includeDeprecated: Boolean = false): [__InputValue!]!
              type: __Type! isDeprecated: Boolean! deprecationReason: String }
            type __InputValue { name: String! description: String type: __Type! defaultValue: String
              isDeprecated: Boolean! deprecationReason: String }
            type __EnumValue { name: String! description: String isDeprecated: Boolean! deprecationReason: String }
            type __Directive { name: String! description: String isRepeatable: Boolean!
              locations: [__DirectiveLocation!]! args(includeDeprecated: Boolean = false): [__InputValue!]! }
            enum __DirectiveLocation { QUERY MUTATION SUBSCRIPTION FIELD FRAGMENT_DEFINITION FRAGMENT_SPREAD
              INLINE_FRAGMENT VARIABLE_DEFINITION SCHEMA SCALAR OBJECT FIELD_DEFINITION ARGUMENT_DEFINITION INTERFACE
              UNION ENUM ENUM_VALUE INPUT_OBJECT INPUT_FIELD_DEFINITION }
            """;
    private static final ObjectNode PRELUDE_DOCUMENT = prelude();

    /** Loads a schema document (OPA's AST shape) over the prelude; throws {@link GraphqlException} as gqlparser fails. */
    static GraphqlSchema load(JsonNode document) {
        Map<String, ObjectNode> types = new LinkedHashMap<>();
        Map<String, ObjectNode> directives = new LinkedHashMap<>();
        for (JsonNode doc : new JsonNode[] {PRELUDE_DOCUMENT, document}) {
            for (JsonNode def : doc.path("Definitions")) {
                String name = def.path("Name").asText();
                if (types.putIfAbsent(name, def.deepCopy()) != null) {
                    throw failure("Cannot redeclare type " + name + ".");
                }
            }
        }
        for (JsonNode ext : document.path("Extensions")) {
            String name = ext.path("Name").asText();
            String kind = ext.path("Kind").asText();
            ObjectNode def = types.computeIfAbsent(name, n -> {
                ObjectNode created = Operands.NODES.objectNode();
                created.put("Kind", kind);
                created.put("Name", n);
                return created;
            });
            if (!def.path("Kind").asText().equals(kind)) {
                throw failure("Cannot extend type " + name + " because the base type is a " + def.path("Kind").asText()
                        + ", not " + kind + ".");
            }
            for (String list : new String[] {"Directives", "Interfaces", "Fields", "Types", "EnumValues"}) {
                if (ext.has(list)) {
                    ArrayNode into = def.has(list) ? (ArrayNode) def.get(list) : def.putArray(list);
                    ext.get(list).forEach(item -> into.add(item.deepCopy()));
                }
            }
        }
        for (JsonNode doc : new JsonNode[] {PRELUDE_DOCUMENT, document}) {
            for (JsonNode dir : doc.path("Directives")) {
                String name = dir.path("Name").asText();
                if (directives.put(name, (ObjectNode) dir) != null && doc == document && !isBuiltInDirective(name)) {
                    throw failure("Cannot redeclare directive " + name + ".");
                }
            }
        }
        Map<String, String> roots = new LinkedHashMap<>();
        ArrayNode schemaDirectives = Operands.NODES.arrayNode();
        int schemaDefinitions = document.path("Schema").size();
        if (schemaDefinitions > 1) {
            throw failure("Cannot have multiple schema entry points, consider schema extensions instead.");
        }
        for (String list : new String[] {"Schema", "SchemaExtension"}) {
            for (JsonNode schema : document.path(list)) {
                for (JsonNode op : schema.path("OperationTypes")) {
                    String type = op.path("Type").asText();
                    if (!types.containsKey(type)) {
                        throw failure("Schema root " + op.path("Operation").asText() + " refers to a type " + type
                                + " that does not exist.");
                    }
                    roots.put(op.path("Operation").asText(), type);
                }
                schema.path("Directives").forEach(d -> schemaDirectives.add(d));
            }
        }
        if (schemaDefinitions == 0) {
            for (String op : new String[] {"query", "mutation", "subscription"}) {
                String conventional = Character.toUpperCase(op.charAt(0)) + op.substring(1);
                if (!roots.containsKey(op) && types.containsKey(conventional)) {
                    roots.put(op, conventional);
                }
            }
        }
        return new GraphqlSchema(types, directives, roots, schemaDirectives);
    }

    private static boolean isBuiltInDirective(String name) {
        return switch (name) {
            case "include", "skip", "deprecated", "specifiedBy", "defer", "oneOf" -> true;
            default -> false;
        };
    }

    static GraphqlException failure(String message) {
        return new GraphqlException("Error in gqlparser SchemaDocument to Schema conversion: " + message);
    }

    private static ObjectNode prelude() {
        ObjectNode doc = GraphqlAst.schema(GraphqlSyntax.schema(PRELUDE), PRELUDE);
        doc.path("Definitions").forEach(d -> ((ObjectNode) d).put("BuiltIn", true));
        return doc;
    }
}
