package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.ParseAndValidate;
import graphql.language.Definition;
import graphql.language.DirectiveDefinition;
import graphql.language.DirectiveLocation;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.OperationDefinition;
import graphql.language.OperationTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.SourceLocation;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.UnionTypeDefinition;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import graphql.schema.idl.errors.SchemaProblem;
import graphql.validation.ValidationError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates queries against a schema gqlparser accepted, with graphql-java's validator (its rules
 * are the specification's, as gqlparser's are). The schema is handed to graphql-java as gqlparser
 * loaded it: extensions already folded in, the prelude left to graphql-java's own built-ins, and
 * applied directives left out (gqlparser has checked them). gqlparser needs no query type but
 * graphql-java does: a schema without one gets a stand-in, and a query operation against it is
 * refused as gqlparser's KnownRootType rule refuses it.
 */
final class GraphqlQueryRules {
    private static final String STAND_IN_QUERY = "RedlineNoQueryType";
    private static final Set<String> PRELUDE_DIRECTIVES = Set.of("include", "skip", "deprecated", "specifiedBy", "defer", "oneOf");

    private final GraphQLSchema schema;
    private final Map<String, String> roots;

    private GraphqlQueryRules(GraphQLSchema schema, Map<String, String> roots) {
        this.schema = schema;
        this.roots = roots;
    }

    /** The validator for a loaded schema that passed {@link GraphqlSchemaRules}. */
    static GraphqlQueryRules of(GraphqlSchema loaded) {
        List<Definition> defs = new ArrayList<>();
        for (ObjectNode type : loaded.types().values()) {
            if (!type.path("BuiltIn").asBoolean(false)) {
                defs.add(definition(type));
            }
        }
        for (ObjectNode dir : loaded.directives().values()) {
            if (!PRELUDE_DIRECTIVES.contains(dir.path("Name").asText())) {
                defs.add(DirectiveDefinition.newDirectiveDefinition()
                        .name(dir.path("Name").asText())
                        .inputValueDefinitions(inputValues(dir.path("Arguments")))
                        .directiveLocations(locations(dir.path("Locations")))
                        .repeatable(dir.path("IsRepeatable").asBoolean(false))
                        .build());
            }
        }
        String query = loaded.roots().get("query");
        if (query == null) {
            query = STAND_IN_QUERY;
            defs.add(ObjectTypeDefinition.newObjectTypeDefinition().name(STAND_IN_QUERY)
                    .fieldDefinition(new FieldDefinition("standIn", TypeName.newTypeName("Boolean").build())).build());
        }
        SchemaDefinition.Builder root = SchemaDefinition.newSchemaDefinition()
                .operationTypeDefinition(operationType("query", query));
        for (String op : List.of("mutation", "subscription")) {
            if (loaded.roots().containsKey(op)) {
                root.operationTypeDefinition(operationType(op, loaded.roots().get(op)));
            }
        }
        defs.add(root.build());
        try {
            Document doc = Document.newDocument().definitions(defs).build();
            return new GraphqlQueryRules(UnExecutableSchemaGenerator.makeUnExecutableSchema(
                    new SchemaParser().buildRegistry(doc)), loaded.roots());
        } catch (SchemaProblem | graphql.AssertException e) {
            throw GraphqlSchema.failure(e.getMessage());
        }
    }

    /** Throws {@link GraphqlException} with the first rule the query breaks. */
    void check(Document query) {
        for (Definition<?> d : query.getDefinitions()) {
            if (d instanceof OperationDefinition op) {
                String name = op.getOperation().name().toLowerCase(java.util.Locale.ROOT);
                if (!roots.containsKey(name)) {
                    throw error("Schema does not support operation type \"" + name + "\"", op.getSourceLocation());
                }
            }
        }
        List<ValidationError> errors = ParseAndValidate.validate(schema, query);
        if (!errors.isEmpty()) {
            ValidationError first = errors.get(0);
            List<SourceLocation> at = first.getLocations();
            throw error(first.getDescription(), at == null || at.isEmpty() ? null : at.get(0));
        }
    }

    private static GraphqlException error(String message, SourceLocation at) {
        return at == null ? new GraphqlException("GraphQL parse error: " + message)
                : GraphqlException.at(message, at.getLine(), at.getColumn());
    }

    private static OperationTypeDefinition operationType(String op, String type) {
        return OperationTypeDefinition.newOperationTypeDefinition().name(op).typeName(TypeName.newTypeName(type).build()).build();
    }

    private static Definition<?> definition(ObjectNode type) {
        String name = type.path("Name").asText();
        return switch (type.path("Kind").asText()) {
            case "OBJECT" -> ObjectTypeDefinition.newObjectTypeDefinition().name(name)
                    .implementz(typeNames(type.path("Interfaces"))).fieldDefinitions(fields(type.path("Fields"))).build();
            case "INTERFACE" -> InterfaceTypeDefinition.newInterfaceTypeDefinition().name(name)
                    .implementz(typeNames(type.path("Interfaces"))).definitions(fields(type.path("Fields"))).build();
            case "UNION" -> UnionTypeDefinition.newUnionTypeDefinition().name(name)
                    .memberTypes(typeNames(type.path("Types"))).build();
            case "ENUM" -> {
                List<EnumValueDefinition> values = new ArrayList<>();
                type.path("EnumValues").forEach(v -> values.add(new EnumValueDefinition(v.path("Name").asText())));
                yield EnumTypeDefinition.newEnumTypeDefinition().name(name).enumValueDefinitions(values).build();
            }
            case "INPUT_OBJECT" -> InputObjectTypeDefinition.newInputObjectDefinition().name(name)
                    .inputValueDefinitions(inputValues(type.path("Fields"))).build();
            default -> ScalarTypeDefinition.newScalarTypeDefinition().name(name).build();
        };
    }

    private static List<Type> typeNames(JsonNode names) {
        List<Type> out = new ArrayList<>();
        names.forEach(n -> out.add(TypeName.newTypeName(n.asText()).build()));
        return out;
    }

    private static List<FieldDefinition> fields(JsonNode fields) {
        List<FieldDefinition> out = new ArrayList<>();
        for (JsonNode f : fields) {
            out.add(FieldDefinition.newFieldDefinition().name(f.path("Name").asText())
                    .type(GraphqlAstReader.type(f.path("Type")))
                    .inputValueDefinitions(inputValues(f.path("Arguments"))).build());
        }
        return out;
    }

    private static List<InputValueDefinition> inputValues(JsonNode values) {
        List<InputValueDefinition> out = new ArrayList<>();
        for (JsonNode v : values) {
            out.add(InputValueDefinition.newInputValueDefinition().name(v.path("Name").asText())
                    .type(GraphqlAstReader.type(v.path("Type")))
                    .defaultValue(v.has("DefaultValue") ? GraphqlAstReader.value(v.get("DefaultValue")) : null).build());
        }
        return out;
    }

    private static List<DirectiveLocation> locations(JsonNode locations) {
        List<DirectiveLocation> out = new ArrayList<>();
        locations.forEach(l -> out.add(DirectiveLocation.newDirectiveLocation().name(l.asText()).build()));
        return out;
    }
}
