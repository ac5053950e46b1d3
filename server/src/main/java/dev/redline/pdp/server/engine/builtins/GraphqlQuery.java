package dev.redline.pdp.server.engine.builtins;

import graphql.language.Document;
import graphql.language.VariableDefinition;
import java.util.List;
import java.util.Map;

/**
 * A parsed query document with what graphql-java's document cannot hold: the variable definitions
 * gqlparser (OPA's parser) allows on a fragment ({@code fragment f($v: Int) on T}), by fragment name.
 */
record GraphqlQuery(Document document, Map<String, List<VariableDefinition>> fragmentVariables) {
    GraphqlQuery {
        fragmentVariables = Map.copyOf(fragmentVariables);
    }
}
