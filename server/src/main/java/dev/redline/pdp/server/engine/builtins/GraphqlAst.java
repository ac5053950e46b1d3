package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.language.AbstractDescribedNode;
import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.Definition;
import graphql.language.Description;
import graphql.language.Directive;
import graphql.language.DirectiveDefinition;
import graphql.language.DirectiveLocation;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumTypeExtensionDefinition;
import graphql.language.EnumValue;
import graphql.language.EnumValueDefinition;
import graphql.language.Field;
import graphql.language.FieldDefinition;
import graphql.language.FloatValue;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.ImplementingTypeDefinition;
import graphql.language.InlineFragment;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputObjectTypeExtensionDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.IntValue;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.InterfaceTypeExtensionDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.NullValue;
import graphql.language.ObjectField;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ObjectTypeExtensionDefinition;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.OperationTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.ScalarTypeExtensionDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.SchemaExtensionDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.SourceLocation;
import graphql.language.StringValue;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.language.UnionTypeDefinition;
import graphql.language.UnionTypeExtensionDefinition;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A graphql-java document as OPA returns it: the JSON of gqlparser's {@code ast.QueryDocument} or
 * {@code ast.SchemaDocument} (field names as its Go structs spell them), pruned as OPA's
 * topdown/graphql.go prunes it: no positions, no null, no empty list or object; empty strings,
 * {@code false} and {@code 0} stay. Value kinds are gqlparser's {@code ast.ValueKind} numbers.
 */
final class GraphqlAst {
    /** gqlparser's {@code ast.ValueKind}, in its order. */
    enum ValueKind { VARIABLE, INT, FLOAT, STRING, BLOCK, BOOLEAN, NULL, ENUM, LIST, OBJECT }

    private final String source;

    private GraphqlAst(String source) {
        this.source = source;
    }

    /** The {@code ast.QueryDocument} of a query; {@code source} is the text it was parsed from, if any. */
    static ObjectNode query(GraphqlQuery query, String source) {
        GraphqlAst ast = new GraphqlAst(source);
        ObjectNode out = object();
        ArrayNode operations = array();
        ArrayNode fragments = array();
        for (Definition<?> d : query.document().getDefinitions()) {
            if (d instanceof OperationDefinition op) {
                operations.add(ast.operation(op));
            } else if (d instanceof FragmentDefinition f) {
                fragments.add(ast.fragment(f, query.fragmentVariables().getOrDefault(f.getName(), List.of())));
            }
        }
        put(out, "Operations", operations);
        put(out, "Fragments", fragments);
        return out;
    }

    /** The {@code ast.SchemaDocument} of a schema; {@code source} is the text it was parsed from. */
    static ObjectNode schema(Document doc, String source) {
        GraphqlAst ast = new GraphqlAst(source);
        ArrayNode schema = array();
        ArrayNode schemaExtension = array();
        ArrayNode directives = array();
        ArrayNode definitions = array();
        ArrayNode extensions = array();
        for (Definition<?> d : doc.getDefinitions()) {
            if (d instanceof SchemaExtensionDefinition s) {
                schemaExtension.add(ast.schemaDefinition(s));
            } else if (d instanceof SchemaDefinition s) {
                schema.add(ast.schemaDefinition(s));
            } else if (d instanceof DirectiveDefinition dd) {
                directives.add(ast.directiveDefinition(dd));
            } else if (d instanceof TypeDefinition<?> t) {
                (isExtension(t) ? extensions : definitions).add(ast.definition(t));
            }
        }
        ObjectNode out = object();
        put(out, "Schema", schema);
        put(out, "SchemaExtension", schemaExtension);
        put(out, "Directives", directives);
        put(out, "Definitions", definitions);
        put(out, "Extensions", extensions);
        return out;
    }

    private static boolean isExtension(TypeDefinition<?> t) {
        return t instanceof ObjectTypeExtensionDefinition || t instanceof InterfaceTypeExtensionDefinition
                || t instanceof UnionTypeExtensionDefinition || t instanceof EnumTypeExtensionDefinition
                || t instanceof InputObjectTypeExtensionDefinition || t instanceof ScalarTypeExtensionDefinition;
    }

    private ObjectNode operation(OperationDefinition op) {
        ObjectNode out = object();
        out.put("Operation", op.getOperation().name().toLowerCase(Locale.ROOT));
        out.put("Name", op.getName() == null ? "" : op.getName());
        put(out, "VariableDefinitions", list(op.getVariableDefinitions(), this::variable));
        put(out, "Directives", directives(op.getDirectives()));
        put(out, "SelectionSet", selections(op.getSelectionSet()));
        return out;
    }

    private ObjectNode variable(VariableDefinition v) {
        ObjectNode out = object();
        out.put("Variable", v.getName());
        put(out, "Type", type(v.getType()));
        put(out, "DefaultValue", value(v.getDefaultValue()));
        put(out, "Directives", directives(v.getDirectives()));
        out.put("Used", false);
        return out;
    }

    private ObjectNode fragment(FragmentDefinition f, List<VariableDefinition> variables) {
        ObjectNode out = object();
        out.put("Name", f.getName());
        put(out, "VariableDefinition", list(variables, this::variable));
        out.put("TypeCondition", f.getTypeCondition().getName());
        put(out, "Directives", directives(f.getDirectives()));
        put(out, "SelectionSet", selections(f.getSelectionSet()));
        return out;
    }

    private ArrayNode selections(SelectionSet set) {
        return set == null ? array() : list(set.getSelections(), this::selection);
    }

    private ObjectNode selection(Selection<?> s) {
        ObjectNode out = object();
        if (s instanceof Field f) {
            out.put("Alias", f.getAlias() == null ? f.getName() : f.getAlias());
            out.put("Name", f.getName());
            put(out, "Arguments", list(f.getArguments(), this::argument));
            put(out, "Directives", directives(f.getDirectives()));
            put(out, "SelectionSet", selections(f.getSelectionSet()));
        } else if (s instanceof FragmentSpread spread) {
            out.put("Name", spread.getName());
            put(out, "Directives", directives(spread.getDirectives()));
        } else if (s instanceof InlineFragment inline) {
            out.put("TypeCondition", inline.getTypeCondition() == null ? "" : inline.getTypeCondition().getName());
            put(out, "Directives", directives(inline.getDirectives()));
            put(out, "SelectionSet", selections(inline.getSelectionSet()));
        }
        return out;
    }

    private ArrayNode directives(List<Directive> directives) {
        return list(directives, d -> {
            ObjectNode out = object();
            out.put("Name", d.getName());
            put(out, "Arguments", list(d.getArguments(), this::argument));
            out.put("Location", "");
            return out;
        });
    }

    private ObjectNode argument(Argument a) {
        ObjectNode out = object();
        out.put("Name", a.getName());
        put(out, "Value", value(a.getValue()));
        return out;
    }

    private ObjectNode value(Value<?> v) {
        if (v == null) {
            return null;
        }
        ArrayNode children = array();
        String raw;
        ValueKind kind;
        if (v instanceof VariableReference ref) {
            raw = ref.getName();
            kind = ValueKind.VARIABLE;
        } else if (v instanceof IntValue i) {
            raw = i.getValue().toString();
            kind = ValueKind.INT;
        } else if (v instanceof FloatValue f) {
            raw = numberAt(f.getSourceLocation(), f.getValue().toString());
            kind = ValueKind.FLOAT;
        } else if (v instanceof StringValue s) {
            raw = s.getValue();
            kind = startsAt(s.getSourceLocation(), "\"\"\"") ? ValueKind.BLOCK : ValueKind.STRING;
        } else if (v instanceof BooleanValue b) {
            raw = String.valueOf(b.isValue());
            kind = ValueKind.BOOLEAN;
        } else if (v instanceof NullValue) {
            raw = "null";
            kind = ValueKind.NULL;
        } else if (v instanceof EnumValue e) {
            raw = e.getName();
            kind = ValueKind.ENUM;
        } else if (v instanceof ArrayValue list) {
            raw = "";
            kind = ValueKind.LIST;
            for (Value<?> item : list.getValues()) {
                children.add(child("", value(item)));
            }
        } else {
            raw = "";
            kind = ValueKind.OBJECT;
            for (ObjectField field : ((ObjectValue) v).getObjectFields()) {
                children.add(child(field.getName(), value(field.getValue())));
            }
        }
        ObjectNode out = object();
        out.put("Raw", raw);
        put(out, "Children", children);
        out.set("Kind", Operands.integerNode(kind.ordinal()));
        out.put("ExpectedTypeHasDefault", false);
        return out;
    }

    private static ObjectNode child(String name, ObjectNode value) {
        ObjectNode out = object();
        out.put("Name", name);
        put(out, "Value", value);
        return out;
    }

    private static ObjectNode type(Type<?> t) {
        ObjectNode out = object();
        boolean nonNull = t instanceof NonNullType;
        Type<?> inner = nonNull ? ((NonNullType) t).getType() : t;
        if (inner instanceof ListType list) {
            out.put("NamedType", "");
            put(out, "Elem", type(list.getType()));
        } else {
            out.put("NamedType", ((TypeName) inner).getName());
        }
        out.put("NonNull", nonNull);
        return out;
    }

    private ObjectNode schemaDefinition(SchemaDefinition s) {
        ObjectNode out = object();
        out.put("Description", description(s.getDescription()));
        put(out, "Directives", directives(s.getDirectives()));
        put(out, "OperationTypes", list(s.getOperationTypeDefinitions(), (OperationTypeDefinition o) -> {
            ObjectNode op = object();
            op.put("Operation", o.getName());
            op.put("Type", o.getTypeName().getName());
            return op;
        }));
        return out;
    }

    private ObjectNode directiveDefinition(DirectiveDefinition d) {
        ObjectNode out = object();
        out.put("Description", description(d.getDescription()));
        out.put("Name", d.getName());
        put(out, "Arguments", list(d.getInputValueDefinitions(), this::inputValue));
        put(out, "Locations", list(d.getDirectiveLocations(), (DirectiveLocation l) -> Operands.text(l.getName())));
        out.put("IsRepeatable", d.isRepeatable());
        return out;
    }

    private ObjectNode definition(TypeDefinition<?> t) {
        ObjectNode out = object();
        out.put("Kind", kind(t));
        out.put("Description", t instanceof AbstractDescribedNode<?> described ? description(described.getDescription()) : "");
        out.put("Name", t.getName());
        put(out, "Directives", directives(t.getDirectives()));
        if (t instanceof ImplementingTypeDefinition<?> impl) {
            put(out, "Interfaces", list(impl.getImplements(), (Type i) -> Operands.text(((TypeName) i).getName())));
            put(out, "Fields", list(impl.getFieldDefinitions(), this::field));
        } else if (t instanceof InputObjectTypeDefinition input) {
            put(out, "Fields", list(input.getInputValueDefinitions(), this::inputValue));
        } else if (t instanceof UnionTypeDefinition union) {
            put(out, "Types", list(union.getMemberTypes(), (Type m) -> Operands.text(((TypeName) m).getName())));
        } else if (t instanceof EnumTypeDefinition e) {
            put(out, "EnumValues", list(e.getEnumValueDefinitions(), (EnumValueDefinition v) -> {
                ObjectNode value = object();
                value.put("Description", description(v.getDescription()));
                value.put("Name", v.getName());
                put(value, "Directives", directives(v.getDirectives()));
                return value;
            }));
        }
        out.put("BuiltIn", false);
        return out;
    }

    private static String kind(TypeDefinition<?> t) {
        if (t instanceof ObjectTypeDefinition) {
            return "OBJECT";
        }
        if (t instanceof InterfaceTypeDefinition) {
            return "INTERFACE";
        }
        if (t instanceof UnionTypeDefinition) {
            return "UNION";
        }
        if (t instanceof EnumTypeDefinition) {
            return "ENUM";
        }
        if (t instanceof InputObjectTypeDefinition) {
            return "INPUT_OBJECT";
        }
        if (t instanceof ScalarTypeDefinition) {
            return "SCALAR";
        }
        throw new IllegalArgumentException("no gqlparser kind for " + t.getClass().getSimpleName());
    }

    private ObjectNode field(FieldDefinition f) {
        ObjectNode out = object();
        out.put("Description", description(f.getDescription()));
        out.put("Name", f.getName());
        put(out, "Arguments", list(f.getInputValueDefinitions(), this::inputValue));
        put(out, "Type", type(f.getType()));
        put(out, "Directives", directives(f.getDirectives()));
        return out;
    }

    /** An argument definition or an input field: the same shape in gqlparser, with a default value. */
    private ObjectNode inputValue(InputValueDefinition v) {
        ObjectNode out = object();
        out.put("Description", description(v.getDescription()));
        out.put("Name", v.getName());
        put(out, "DefaultValue", value(v.getDefaultValue()));
        put(out, "Type", type(v.getType()));
        put(out, "Directives", directives(v.getDirectives()));
        return out;
    }

    private static String description(Description d) {
        return d == null ? "" : d.getContent();
    }

    /** A float as written: gqlparser keeps the token's text, graphql-java only its value. */
    private String numberAt(SourceLocation at, String fallback) {
        int from = offset(at);
        if (from < 0) {
            return fallback;
        }
        int to = from;
        while (to < source.length() && "+-.0123456789eE".indexOf(source.charAt(to)) >= 0) {
            to++;
        }
        return to > from ? source.substring(from, to) : fallback;
    }

    private boolean startsAt(SourceLocation at, String prefix) {
        int from = offset(at);
        return from >= 0 && source.startsWith(prefix, from);
    }

    /** The offset of a line and column (both from 1) in the source, or -1 without one. */
    private int offset(SourceLocation at) {
        if (at == null || source == null || at.getLine() < 1) {
            return -1;
        }
        int offset = 0;
        for (int line = 1; line < at.getLine(); line++) {
            int next = nextLine(offset);
            if (next < 0) {
                return -1;
            }
            offset = next;
        }
        int result = offset + at.getColumn() - 1;
        return result < source.length() ? result : -1;
    }

    private int nextLine(int from) {
        for (int i = from; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '\n') {
                return i + 1;
            }
            if (c == '\r') {
                return i + 1 < source.length() && source.charAt(i + 1) == '\n' ? i + 2 : i + 1;
            }
        }
        return -1;
    }

    private static <T> ArrayNode list(List<T> items, Function<T, JsonNode> each) {
        ArrayNode out = array();
        for (T item : items) {
            JsonNode node = each.apply(item);
            if (node != null && !(node.isContainerNode() && node.isEmpty())) {
                out.add(node);
            }
        }
        return out;
    }

    /** Sets a field unless OPA would prune it: null, or an empty list or object. */
    private static void put(ObjectNode target, String key, JsonNode value) {
        if (value != null && !(value.isContainerNode() && value.isEmpty())) {
            target.set(key, value);
        }
    }

    private static ObjectNode object() {
        return Operands.NODES.objectNode();
    }

    private static ArrayNode array() {
        return Operands.NODES.arrayNode();
    }
}
