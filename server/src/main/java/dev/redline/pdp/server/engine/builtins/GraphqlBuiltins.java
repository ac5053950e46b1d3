package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Map;

/**
 * {@code graphql.*} as OPA's topdown/graphql.go defines them, with graphql-java parsing and
 * validating queries where OPA uses gqlparser. ASTs come back in OPA's shape ({@link GraphqlAst});
 * a query or schema may be given as text or as such an AST. Schemas are loaded and judged by
 * gqlparser's rules ({@link GraphqlSchema}, {@link GraphqlSchemaRules}), queries against them by
 * graphql-java's validator ({@link GraphqlQueryRules}); the last ten schemas a policy instance
 * used stay loaded ({@link GraphqlSchemaCache}), as in OPA. {@code parse_query}, {@code parse_schema}
 * and {@code parse} report what is wrong as an error; {@code parse_and_verify}, {@code is_valid}
 * and {@code schema_is_valid} answer false (or {@code [false, {}, {}]}) instead.
 */
final class GraphqlBuiltins {
    private GraphqlBuiltins() {}

    static void addTo(Map<String, HostFunction.Body> builtins) {
        GraphqlSchemaCache schemas = new GraphqlSchemaCache();
        builtins.put("graphql.parse_query", ops -> {
            String text = Operands.string("graphql.parse_query", ops, 0);
            return reported("graphql.parse_query", () -> GraphqlAst.query(GraphqlSyntax.query(text), text));
        });
        builtins.put("graphql.parse_schema", ops -> {
            String text = Operands.string("graphql.parse_schema", ops, 0);
            return reported("graphql.parse_schema", () -> GraphqlAst.schema(GraphqlSyntax.schema(text), text));
        });
        builtins.put("graphql.parse", ops -> {
            textOrObject("graphql.parse", ops, 0);
            textOrObject("graphql.parse", ops, 1);
            return reported("graphql.parse", () -> {
                Verified v = verify(schemas, ops[0], ops[1]);
                return pair(v.query(), v.schema());
            });
        });
        builtins.put("graphql.parse_and_verify", ops -> {
            ArrayNode out = Operands.NODES.arrayNode();
            try {
                Verified v = verify(schemas, ops[0], ops[1]);
                return out.add(true).add(v.query()).add(v.schema());
            } catch (GraphqlException | ClassCastException e) {
                return out.add(false).add(Operands.NODES.objectNode()).add(Operands.NODES.objectNode());
            }
        });
        builtins.put("graphql.is_valid", ops -> {
            try {
                verify(schemas, ops[0], ops[1]);
                return Operands.bool(true);
            } catch (GraphqlException | ClassCastException e) {
                return Operands.bool(false);
            }
        });
        builtins.put("graphql.schema_is_valid", ops -> {
            try {
                schemas.load(ops[0]);
                return Operands.bool(true);
            } catch (GraphqlException | ClassCastException e) {
                return Operands.bool(false);
            }
        });
    }

    /** A query checked against a schema, each as OPA's AST. */
    private record Verified(JsonNode query, JsonNode schema) {}

    /** Parses the query (text or AST), loads the schema (or finds it loaded), then validates the query against it. */
    private static Verified verify(GraphqlSchemaCache schemas, JsonNode query, JsonNode schema) {
        String queryText = query.isTextual() ? query.textValue() : null;
        GraphqlQuery queryDoc;
        if (queryText != null) {
            queryDoc = GraphqlSyntax.query(queryText);
        } else if (query.isObject()) {
            queryDoc = GraphqlAstReader.query(query);
        } else {
            throw new GraphqlException("operand 1 must be one of {string, object}");
        }
        GraphqlSchemaCache.Loaded loaded = schemas.load(schema);
        loaded.queries().check(queryDoc.document());
        return new Verified(GraphqlAst.query(queryDoc, queryText), loaded.ast());
    }

    /** OPA's graphql.go numbers these operands from 0, unlike other builtins; its text is kept. */
    private static void textOrObject(String builtin, JsonNode[] ops, int index) {
        JsonNode v = ops[index];
        if (!v.isTextual() && !v.isObject()) {
            String got = v.isBoolean() ? "boolean" : v.isNumber() ? "number" : v.isNull() ? "null" : "array";
            throw new BuiltinError(builtin, "operand " + index + " must be one of {string, object} but got " + got);
        }
    }

    private static JsonNode pair(JsonNode a, JsonNode b) {
        return Operands.NODES.arrayNode().add(a).add(b);
    }

    /** Runs a parse, turning gqlparser's refusal into this builtin's error. */
    private static JsonNode reported(String builtin, java.util.function.Supplier<JsonNode> parse) {
        try {
            return parse.get();
        } catch (GraphqlException e) {
            throw new BuiltinError(builtin, e.getMessage());
        } catch (ClassCastException e) {
            throw new BuiltinError(builtin, "GraphQL parse error: the AST does not have gqlparser's shape");
        }
    }
}
