package dev.redline.pdp.server.engine.builtins;

import graphql.org.antlr.v4.runtime.BaseErrorListener;
import graphql.org.antlr.v4.runtime.CharStreams;
import graphql.org.antlr.v4.runtime.CommonTokenStream;
import graphql.org.antlr.v4.runtime.InputMismatchException;
import graphql.org.antlr.v4.runtime.Parser;
import graphql.org.antlr.v4.runtime.RecognitionException;
import graphql.org.antlr.v4.runtime.Recognizer;
import graphql.org.antlr.v4.runtime.Token;
import graphql.org.antlr.v4.runtime.misc.IntervalSet;
import graphql.parser.antlr.GraphqlLexer;
import graphql.parser.antlr.GraphqlParser;

/**
 * Words a syntax error as gqlparser does, from what graphql-java's grammar expected at the first
 * bad token: "Expected Name, found }" where a name was due, {@code Expected "on", found Name "T"}
 * where one token was missing, otherwise "Unexpected <token>". graphql-java's own exception names
 * only the offending token, so the text is parsed once more with its generated ANTLR parser to
 * learn the expected tokens. gqlparser's wording depends on its hand-written parser's state, so a
 * few errors still read differently (docs/builtins.md).
 */
final class GraphqlSyntaxError {
    private GraphqlSyntaxError() {}

    /** The first syntax error in the text, or null when graphql-java's grammar finds none. */
    static GraphqlException of(String text) {
        GraphqlParser parser = new GraphqlParser(new CommonTokenStream(new GraphqlLexer(CharStreams.fromString(text))));
        parser.removeErrorListeners();
        GraphqlException[] first = new GraphqlException[1];
        parser.addErrorListener(new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> recognizer, Object symbol, int line, int column, String msg,
                    RecognitionException e) {
                if (first[0] == null && symbol instanceof Token token) {
                    IntervalSet expected = e != null ? e.getExpectedTokens() : ((Parser) recognizer).getExpectedTokens();
                    boolean mismatch = e == null || e instanceof InputMismatchException;
                    first[0] = GraphqlException.at(words(token, expected, mismatch, msg), line,
                            token.getType() == GraphqlLexer.StringValue ? column + 2 : column + 1);
                }
            }
        });
        parser.document();
        return first[0];
    }

    private static String words(Token found, IntervalSet expected, boolean mismatch, String antlrMessage) {
        String what = name(found);
        if (antlrMessage.startsWith("missing ") && expected.size() == 1) {
            String token = GraphqlParser.VOCABULARY.getLiteralName(expected.getMinElement());
            String bare = token == null ? "" : token.substring(1, token.length() - 1);
            return "Expected " + (Character.isLetter(bare.charAt(0)) ? "\"" + bare + "\"" : bare) + ", found " + what;
        }
        boolean nameDue = expected.contains(GraphqlLexer.NAME) && !expected.contains(GraphqlLexer.IntValue);
        if (mismatch && nameDue && !nameLike(found)) {
            return "Expected Name, found " + what;
        }
        return "Unexpected " + what;
    }

    private static boolean nameLike(Token t) {
        String text = t.getText();
        return t.getType() != Token.EOF && !text.isEmpty() && (Character.isLetter(text.charAt(0)) || text.charAt(0) == '_');
    }

    /** A token as gqlparser names it: {@code Name "x"}, {@code String "x"}, {@code Int 1}, a punctuator, {@code <EOF>}. */
    static String name(Token t) {
        if (t.getType() == Token.EOF) {
            return "<EOF>";
        }
        String text = t.getText();
        if (nameLike(t)) {
            return "Name \"" + text + "\"";
        }
        return switch (t.getType()) {
            case GraphqlLexer.StringValue -> text.startsWith("\"\"\"") ? "BlockString " + text : "String " + text;
            case GraphqlLexer.IntValue -> "Int " + text;
            case GraphqlLexer.FloatValue -> "Float " + text;
            default -> text;
        };
    }
}
