package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.EnumValue;
import graphql.language.Field;
import graphql.language.FloatValue;
import graphql.language.FragmentDefinition;
import graphql.language.IntValue;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.NullValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.StringValue;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a query AST in OPA's shape (what {@code graphql.parse_query} returns) back into a
 * graphql-java document, as gqlparser's JSON decoding reads it: every selection decodes as a field
 * (gqlparser's {@code UnmarshalSelectionSet} tries {@code Field} first, and that always succeeds),
 * and a value is read by its {@code Kind} and {@code Raw}. Unknown keys are ignored.
 */
final class GraphqlAstReader {
    private GraphqlAstReader() {}

    static GraphqlQuery query(JsonNode ast) {
        List<Definition> defs = new ArrayList<>();
        Map<String, List<VariableDefinition>> fragmentVariables = new HashMap<>();
        for (JsonNode op : array(ast, "Operations")) {
            String name = text(op, "Name");
            defs.add(OperationDefinition.newOperationDefinition()
                    .name(name.isEmpty() ? null : name)
                    .operation(operation(text(op, "Operation")))
                    .variableDefinitions(variables(op, "VariableDefinitions"))
                    .directives(directives(op))
                    .selectionSet(selections(op))
                    .build());
        }
        for (JsonNode f : array(ast, "Fragments")) {
            fragmentVariables.put(text(f, "Name"), variables(f, "VariableDefinition"));
            defs.add(FragmentDefinition.newFragmentDefinition()
                    .name(text(f, "Name"))
                    .typeCondition(TypeName.newTypeName(text(f, "TypeCondition")).build())
                    .directives(directives(f))
                    .selectionSet(selections(f))
                    .build());
        }
        return new GraphqlQuery(Document.newDocument().definitions(defs).build(), fragmentVariables);
    }

    private static OperationDefinition.Operation operation(String op) {
        return switch (op) {
            case "query", "" -> OperationDefinition.Operation.QUERY;
            case "mutation" -> OperationDefinition.Operation.MUTATION;
            case "subscription" -> OperationDefinition.Operation.SUBSCRIPTION;
            default -> throw new GraphqlException("GraphQL parse error: unknown operation " + op);
        };
    }

    private static List<VariableDefinition> variables(JsonNode node, String key) {
        List<VariableDefinition> out = new ArrayList<>();
        for (JsonNode v : array(node, key)) {
            out.add(VariableDefinition.newVariableDefinition()
                    .name(text(v, "Variable"))
                    .type(type(v.path("Type")))
                    .defaultValue(v.has("DefaultValue") ? value(v.get("DefaultValue")) : null)
                    .directives(directives(v))
                    .build());
        }
        return out;
    }

    private static SelectionSet selections(JsonNode node) {
        if (!node.has("SelectionSet")) {
            return null;
        }
        List<Selection> out = new ArrayList<>();
        for (JsonNode s : array(node, "SelectionSet")) {
            String alias = text(s, "Alias");
            out.add(Field.newField(text(s, "Name"))
                    .alias(alias)
                    .arguments(arguments(s))
                    .directives(directives(s))
                    .selectionSet(selections(s))
                    .build());
        }
        return SelectionSet.newSelectionSet(out).build();
    }

    static List<Directive> directives(JsonNode node) {
        List<Directive> out = new ArrayList<>();
        for (JsonNode d : array(node, "Directives")) {
            out.add(Directive.newDirective().name(text(d, "Name")).arguments(arguments(d)).build());
        }
        return out;
    }

    private static List<Argument> arguments(JsonNode node) {
        List<Argument> out = new ArrayList<>();
        for (JsonNode a : array(node, "Arguments")) {
            out.add(Argument.newArgument(text(a, "Name"), value(a.path("Value"))).build());
        }
        return out;
    }

    static Type<?> type(JsonNode t) {
        String named = text(t, "NamedType");
        Type<?> inner = named.isEmpty() && t.has("Elem")
                ? ListType.newListType(type(t.get("Elem"))).build()
                : TypeName.newTypeName(named).build();
        return t.path("NonNull").asBoolean(false) ? NonNullType.newNonNullType(inner).build() : inner;
    }

    static Value<?> value(JsonNode v) {
        String raw = text(v, "Raw");
        int kind = v.path("Kind").asInt(0);
        try {
            return switch (GraphqlAst.ValueKind.values()[kind]) {
                case VARIABLE -> VariableReference.newVariableReference().name(raw).build();
                case INT -> IntValue.newIntValue(new BigInteger(raw)).build();
                case FLOAT -> FloatValue.newFloatValue(new BigDecimal(raw)).build();
                case STRING, BLOCK -> StringValue.newStringValue(raw).build();
                case BOOLEAN -> BooleanValue.newBooleanValue(Boolean.parseBoolean(raw)).build();
                case NULL -> NullValue.newNullValue().build();
                case ENUM -> EnumValue.newEnumValue(raw).build();
                case LIST -> {
                    List<Value> items = new ArrayList<>();
                    for (JsonNode c : array(v, "Children")) {
                        items.add(value(c.path("Value")));
                    }
                    yield ArrayValue.newArrayValue().values(items).build();
                }
                case OBJECT -> {
                    List<ObjectField> fields = new ArrayList<>();
                    for (JsonNode c : array(v, "Children")) {
                        fields.add(ObjectField.newObjectField().name(text(c, "Name")).value(value(c.path("Value"))).build());
                    }
                    yield ObjectValue.newObjectValue().objectFields(fields).build();
                }
            };
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw new GraphqlException("GraphQL parse error: value of kind " + kind + " cannot be " + raw);
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new GraphqlException("GraphQL parse error: " + key + " must be a string");
        }
        return v.textValue();
    }

    private static Iterable<JsonNode> array(JsonNode node, String key) {
        JsonNode v = node.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new GraphqlException("GraphQL parse error: " + key + " must be an array");
        }
        return v;
    }
}
