package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;

/** Type references in OPA's GraphQL AST shape ({@code NamedType}, {@code Elem}, {@code NonNull}), read as gqlparser's {@code ast.Type}. */
final class GraphqlTypes {
    private GraphqlTypes() {}

    /** The named type at the bottom of a reference, "" when there is none. */
    static String name(JsonNode type) {
        JsonNode t = type;
        while (t.path("NamedType").asText("").isEmpty() && t.has("Elem")) {
            t = t.get("Elem");
        }
        return t.path("NamedType").asText("");
    }

    /** The reference as GraphQL writes it, e.g. {@code [String!]!}. */
    static String text(JsonNode type) {
        String bang = type.path("NonNull").asBoolean(false) ? "!" : "";
        String named = type.path("NamedType").asText("");
        return (named.isEmpty() ? "[" + text(type.path("Elem")) + "]" : named) + bang;
    }

    /** gqlparser's {@code Type.IsCompatible}: the same named type and list shape, non-null where {@code other} is. */
    static boolean compatible(JsonNode type, JsonNode other) {
        if (!type.path("NamedType").asText("").equals(other.path("NamedType").asText(""))) {
            return false;
        }
        if (type.has("Elem") && !other.has("Elem")) {
            return false;
        }
        if (type.has("Elem") && !compatible(type.get("Elem"), other.get("Elem"))) {
            return false;
        }
        return !other.path("NonNull").asBoolean(false) || type.path("NonNull").asBoolean(false);
    }
}
