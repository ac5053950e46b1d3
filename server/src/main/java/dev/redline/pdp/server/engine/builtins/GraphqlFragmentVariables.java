package dev.redline.pdp.server.engine.builtins;

import graphql.language.OperationDefinition;
import graphql.language.VariableDefinition;
import graphql.org.antlr.v4.runtime.Token;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes fragment variable definitions ({@code fragment f($v: Int = 1) on T}, which gqlparser
 * parses and graphql-java's grammar lacks) out of a query text. Each {@code (...)} after a
 * fragment's name is blanked (offsets, lines and columns stay as they were) and parsed on its own,
 * in a text of the same length that holds it as an operation's variables.
 */
final class GraphqlFragmentVariables {
    /** The text without fragment variables, and the variables by fragment name. */
    record Split(String text, Map<String, List<VariableDefinition>> variables) {}

    private GraphqlFragmentVariables() {}

    static Split split(String text, List<Token> tokens) {
        StringBuilder rest = new StringBuilder(text);
        Map<String, List<VariableDefinition>> variables = new HashMap<>();
        for (int i = 0; i + 2 < tokens.size(); i++) {
            if (!tokens.get(i).getText().equals("fragment") || !tokens.get(i + 2).getText().equals("(")) {
                continue;
            }
            int close = closing(tokens, i + 2);
            if (close < 0) {
                break;
            }
            int from = tokens.get(i + 2).getStartIndex();
            int to = tokens.get(close).getStopIndex() + 1;
            variables.put(tokens.get(i + 1).getText(), parse(text, tokens.get(i).getStartIndex(), from, to));
            for (int c = from; c < to; c++) {
                if (rest.charAt(c) != '\n' && rest.charAt(c) != '\r') {
                    rest.setCharAt(c, ' ');
                }
            }
            i = close;
        }
        return new Split(rest.toString(), variables);
    }

    private static int closing(List<Token> tokens, int open) {
        for (int j = open + 1; j < tokens.size(); j++) {
            if (tokens.get(j).getText().equals(")")) {
                return j;
            }
        }
        return -1;
    }

    /** Parses text[from, to) as the variables of "query" written over the fragment keyword before it. */
    private static List<VariableDefinition> parse(String text, int keyword, int from, int to) {
        StringBuilder wrapper = new StringBuilder(text.length() + 3);
        for (int c = 0; c < text.length(); c++) {
            char ch = text.charAt(c);
            wrapper.append(c >= from && c < to || ch == '\n' || ch == '\r' ? ch : ' ');
        }
        wrapper.replace(keyword, keyword + "query".length(), "query");
        wrapper.insert(to, "{a}");
        try {
            OperationDefinition op = (OperationDefinition) Parser.parse(ParserEnvironment.newParserEnvironment()
                    .document(wrapper.toString()).build()).getDefinitions().get(0);
            return op.getVariableDefinitions();
        } catch (InvalidSyntaxException e) {
            throw GraphqlException.at("Unexpected " + e.getOffendingToken(), e.getLocation().getLine(),
                    e.getLocation().getColumn());
        }
    }
}
