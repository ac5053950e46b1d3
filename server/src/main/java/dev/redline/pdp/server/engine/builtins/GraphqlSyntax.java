package dev.redline.pdp.server.engine.builtins;

import graphql.language.Definition;
import graphql.language.Document;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import graphql.language.SDLDefinition;
import graphql.language.SourceLocation;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.antlr.GraphqlLexer;
import graphql.org.antlr.v4.runtime.CharStreams;
import graphql.org.antlr.v4.runtime.Token;
import java.util.List;

/**
 * Reads GraphQL text with graphql-java's parser, holding it to what gqlparser (OPA's parser)
 * accepts where the two grammars differ: a query document holds only operations and fragments, a
 * schema document only type-system definitions, an empty text is an empty document, and a
 * {@code {}} or {@code ()} that is not an input-object value is an error (gqlparser requires at
 * least one item between them). Errors read as OPA words them: "<what> in GraphQL string at
 * location <line>:<column>".
 */
final class GraphqlSyntax {
    private GraphqlSyntax() {}

    /** The document of a query text; throws {@link GraphqlException} where gqlparser would not parse it. */
    static Document query(String text) {
        return parse(text, true);
    }

    /** The document of a schema text; throws {@link GraphqlException} where gqlparser would not parse it. */
    static Document schema(String text) {
        return parse(text, false);
    }

    private static Document parse(String text, boolean executable) {
        List<Token> tokens = tokens(text);
        if (tokens.isEmpty()) {
            return Document.newDocument().build();
        }
        rejectEmptyBrackets(tokens);
        Document doc;
        try {
            doc = Parser.parse(ParserEnvironment.newParserEnvironment().document(text).build());
        } catch (InvalidSyntaxException e) {
            SourceLocation at = e.getLocation();
            String offending = e.getOffendingToken();
            throw GraphqlException.at("Unexpected " + describe(offending), at == null ? 1 : at.getLine(),
                    at == null ? 1 : at.getColumn());
        }
        for (Definition<?> d : doc.getDefinitions()) {
            boolean fits = executable ? d instanceof OperationDefinition || d instanceof FragmentDefinition : d instanceof SDLDefinition;
            if (!fits) {
                SourceLocation at = d.getSourceLocation();
                throw GraphqlException.at("Unexpected " + describe(firstWordAt(text, at)), at.getLine(), at.getColumn());
            }
        }
        return doc;
    }

    /** The tokens on the default channel (no comments, commas or whitespace), without the end of input. */
    private static List<Token> tokens(String text) {
        GraphqlLexer lexer = new GraphqlLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        return lexer.getAllTokens().stream()
                .filter(t -> t.getChannel() == Token.DEFAULT_CHANNEL && t.getType() != Token.EOF)
                .map(Token.class::cast)
                .toList();
    }

    /**
     * gqlparser reads selection sets, argument lists, field, enum-value and input-field lists as
     * "at least one"; graphql-java's grammar lets some of them be empty. An empty {@code {}} stays
     * legal where a value stands (after {@code :}, {@code =}, or inside a list).
     */
    private static void rejectEmptyBrackets(List<Token> tokens) {
        for (int i = 1; i < tokens.size(); i++) {
            String open = tokens.get(i - 1).getText();
            String close = tokens.get(i).getText();
            boolean emptyBraces = open.equals("{") && close.equals("}") && !valuePosition(tokens, i - 1);
            if (emptyBraces || open.equals("(") && close.equals(")")) {
                Token t = tokens.get(i);
                throw GraphqlException.at("expected at least one definition, found " + close, t.getLine(),
                        t.getCharPositionInLine() + 1);
            }
        }
    }

    private static boolean valuePosition(List<Token> tokens, int open) {
        if (open == 0) {
            return false;
        }
        String before = tokens.get(open - 1).getText();
        return before.equals(":") || before.equals("=") || before.equals("[") || before.equals("}");
    }

    private static String firstWordAt(String text, SourceLocation at) {
        int offset = 0;
        for (int line = 1; line < at.getLine(); line++) {
            offset = text.indexOf('\n', offset) + 1;
        }
        int from = offset + at.getColumn() - 1;
        int to = from;
        while (to < text.length() && (Character.isLetterOrDigit(text.charAt(to)) || text.charAt(to) == '_')) {
            to++;
        }
        return to == from ? String.valueOf(text.charAt(from)) : text.substring(from, to);
    }

    /** A token as gqlparser names it in errors: {@code Name "x"}, {@code String "x"}, a punctuator, {@code <EOF>}. */
    private static String describe(String token) {
        if (token == null || token.isEmpty() || token.equals("<EOF>")) {
            return "<EOF>";
        }
        char first = token.charAt(0);
        if (Character.isLetter(first) || first == '_') {
            return "Name \"" + token + "\"";
        }
        if (first == '"') {
            return "String " + token;
        }
        return token;
    }
}
