package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * gqlparser's rule for a type that implements an interface: the interface exists and is one;
 * every interface field is there with a covariant type and the same arguments (compatible types),
 * any extra argument is optional, and every interface the interface implements is implemented too.
 */
final class GraphqlImplements {
    private GraphqlImplements() {}

    static void check(GraphqlSchema schema, ObjectNode def, String interfaceName) {
        String name = def.path("Name").asText();
        ObjectNode iface = schema.types().get(interfaceName);
        if (iface == null) {
            throw GraphqlSchema.failure("Undefined type \"" + interfaceName + "\".");
        }
        if (!iface.path("Kind").asText().equals("INTERFACE")) {
            throw GraphqlSchema.failure("\"" + interfaceName + "\" is a non interface type " + iface.path("Kind").asText() + ".");
        }
        String prefix = "For " + name + " to implement " + interfaceName;
        for (JsonNode required : iface.path("Fields")) {
            String field = required.path("Name").asText();
            JsonNode found = GraphqlSchemaRules.byName(def.path("Fields"), field);
            if (found == null) {
                throw GraphqlSchema.failure(prefix + " it must have a field called " + field + ".");
            }
            if (!covariant(schema, required.path("Type"), found.path("Type"))) {
                throw GraphqlSchema.failure(prefix + " the field " + field + " must have type "
                        + GraphqlTypes.text(required.path("Type")) + ".");
            }
            for (JsonNode arg : required.path("Arguments")) {
                JsonNode given = GraphqlSchemaRules.byName(found.path("Arguments"), arg.path("Name").asText());
                if (given == null) {
                    throw GraphqlSchema.failure(prefix + " the field " + field
                            + " must have the same arguments but it is missing " + arg.path("Name").asText() + ".");
                }
                if (!GraphqlTypes.compatible(arg.path("Type"), given.path("Type"))) {
                    throw GraphqlSchema.failure(prefix + " the field " + field + " must have the same arguments but "
                            + arg.path("Name").asText() + " has the wrong type.");
                }
            }
            for (JsonNode extra : found.path("Arguments")) {
                if (GraphqlSchemaRules.byName(required.path("Arguments"), extra.path("Name").asText()) == null
                        && extra.path("Type").path("NonNull").asBoolean(false) && !extra.has("DefaultValue")) {
                    throw GraphqlSchema.failure(prefix + " any additional arguments on " + field
                            + " must be optional or have a default value but " + extra.path("Name").asText() + " is required.");
                }
            }
        }
        for (JsonNode transitive : iface.path("Interfaces")) {
            String t = transitive.asText();
            boolean listed = false;
            for (JsonNode own : def.path("Interfaces")) {
                listed |= own.asText().equals(t);
            }
            if (!listed) {
                throw GraphqlSchema.failure(t.equals(name)
                        ? "Type " + name + " cannot implement " + interfaceName + " because it would create a circular reference."
                        : "Type " + name + " must implement " + t + " because it is implemented by " + interfaceName + ".");
            }
        }
    }

    /** gqlparser's {@code isCovariant}: the field may narrow an interface's type to a possible type of it, or add non-null. */
    private static boolean covariant(GraphqlSchema schema, JsonNode required, JsonNode actual) {
        if (required.path("NonNull").asBoolean(false) && !actual.path("NonNull").asBoolean(false)) {
            return false;
        }
        String named = required.path("NamedType").asText("");
        if (!named.isEmpty()) {
            String actualName = actual.path("NamedType").asText("");
            return named.equals(actualName) || possibleType(schema, named, actualName);
        }
        if (!actual.has("Elem")) {
            return false;
        }
        return covariant(schema, required.path("Elem"), actual.path("Elem"));
    }

    /** Whether {@code candidate} is one of the types gqlparser lists as possible for {@code abstractType}. */
    private static boolean possibleType(GraphqlSchema schema, String abstractType, String candidate) {
        ObjectNode abs = schema.types().get(abstractType);
        ObjectNode c = schema.types().get(candidate);
        if (abs == null || c == null) {
            return false;
        }
        if (abs.path("Kind").asText().equals("UNION")) {
            for (JsonNode member : abs.path("Types")) {
                if (member.asText().equals(candidate)) {
                    return true;
                }
            }
        }
        String kind = c.path("Kind").asText();
        if (kind.equals("OBJECT") || kind.equals("INPUT_OBJECT") || kind.equals("INTERFACE")) {
            for (JsonNode i : c.path("Interfaces")) {
                if (i.asText().equals(abstractType)) {
                    return true;
                }
            }
        }
        return abstractType.equals(candidate) && !kind.equals("INTERFACE");
    }
}
