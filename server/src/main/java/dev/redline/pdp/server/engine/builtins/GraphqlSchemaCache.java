package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last schemas a policy instance loaded, by operand (text or AST), as OPA keeps its
 * inter-query "graphql" cache of ten: a policy that checks every request's query against one
 * schema parses, judges and builds that schema once. A schema that failed is kept with its
 * failure, so that it fails again without the work. Entries are immutable once made.
 */
final class GraphqlSchemaCache {
    private static final int ENTRIES = 10;

    /**
     * A schema operand loaded: its AST, and graphql-java's validator for the schema gqlparser's rules
     * accepted, or why graphql-java could not build one (the schema stays valid by gqlparser's rules).
     */
    record Loaded(JsonNode ast, GraphqlQueryRules queryRules, GraphqlException queryRulesFailure) {
        GraphqlQueryRules queries() {
            if (queryRules == null) {
                throw queryRulesFailure;
            }
            return queryRules;
        }
    }

    private record Outcome(Loaded loaded, GraphqlException failure) {}

    private final Map<JsonNode, Outcome> entries = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<JsonNode, Outcome> eldest) {
            return size() > ENTRIES;
        }
    };

    /** The loaded schema; throws the {@link GraphqlException} its loading threw. */
    synchronized Loaded load(JsonNode operand) {
        Outcome entry = entries.get(operand);
        if (entry == null) {
            entry = loadNew(operand);
            entries.put(operand, entry);
        }
        if (entry.failure() != null) {
            throw entry.failure();
        }
        return entry.loaded();
    }

    private static Outcome loadNew(JsonNode operand) {
        try {
            JsonNode ast = ast(operand);
            GraphqlSchema schema = GraphqlSchema.load(ast);
            GraphqlSchemaRules.check(schema);
            try {
                return new Outcome(new Loaded(ast, GraphqlQueryRules.of(schema), null), null);
            } catch (GraphqlException e) {
                return new Outcome(new Loaded(ast, null, e), null);
            }
        } catch (GraphqlException e) {
            return new Outcome(null, e);
        } catch (ClassCastException e) {
            return new Outcome(null, new GraphqlException("GraphQL parse error: the schema AST does not have gqlparser's shape"));
        }
    }

    private static JsonNode ast(JsonNode schema) {
        if (schema.isTextual()) {
            return GraphqlAst.schema(GraphqlSyntax.schema(schema.textValue()), schema.textValue());
        }
        if (schema.isObject()) {
            return schema;
        }
        throw new GraphqlException("operand 2 must be one of {string, object}");
    }
}
