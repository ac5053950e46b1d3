package dev.redline.pdp.server.engine.builtins;

import graphql.language.Definition;
import graphql.language.DirectiveDefinition;
import graphql.language.DirectiveLocation;
import graphql.language.Document;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import graphql.language.SDLDefinition;
import graphql.language.SourceLocation;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.antlr.GraphqlLexer;
import graphql.org.antlr.v4.runtime.BaseErrorListener;
import graphql.org.antlr.v4.runtime.CharStreams;
import graphql.org.antlr.v4.runtime.RecognitionException;
import graphql.org.antlr.v4.runtime.Recognizer;
import graphql.org.antlr.v4.runtime.Token;
import java.util.List;
import java.util.Set;

/**
 * Reads GraphQL text with graphql-java's parser, holding it to what gqlparser (OPA's parser)
 * accepts where the two grammars differ: a query document holds only operations and fragments
 * (whose variable definitions {@link GraphqlFragmentVariables} takes out first), a schema document
 * only type-system definitions; an empty text is an empty document; a {@code {}} or {@code ()}
 * that is not an input-object value is an error (gqlparser requires at least one item between
 * them), and so is a directive location the specification does not name. Errors read as OPA words
 * them: "<what> in GraphQL string at location <line>:<column>".
 */
final class GraphqlSyntax {
    private static final Set<String> LOCATIONS = Set.of("QUERY", "MUTATION", "SUBSCRIPTION", "FIELD",
            "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD", "INLINE_FRAGMENT", "VARIABLE_DEFINITION", "SCHEMA", "SCALAR",
            "OBJECT", "FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE",
            "INPUT_OBJECT", "INPUT_FIELD_DEFINITION");

    private GraphqlSyntax() {}

    /** The document of a query text; throws {@link GraphqlException} where gqlparser would not parse it. */
    static GraphqlQuery query(String text) {
        List<Token> tokens = tokens(text);
        GraphqlFragmentVariables.Split split = GraphqlFragmentVariables.split(text, tokens);
        return new GraphqlQuery(parse(split.text(), tokens, true), split.variables());
    }

    /** The document of a schema text; throws {@link GraphqlException} where gqlparser would not parse it. */
    static Document schema(String text) {
        return parse(text, tokens(text), false);
    }

    private static Document parse(String text, List<Token> tokens, boolean executable) {
        if (tokens.isEmpty()) {
            return Document.newDocument().build();
        }
        rejectEmptyBrackets(tokens);
        Document doc;
        try {
            doc = Parser.parse(ParserEnvironment.newParserEnvironment().document(text).build());
        } catch (InvalidSyntaxException e) {
            GraphqlException worded = GraphqlSyntaxError.of(text);
            if (worded != null) {
                throw worded;
            }
            SourceLocation at = e.getLocation();
            throw GraphqlException.at("Unexpected " + describe(e.getOffendingToken()), at == null ? 1 : at.getLine(),
                    at == null ? 1 : at.getColumn());
        }
        for (Definition<?> d : doc.getDefinitions()) {
            if (d instanceof DirectiveDefinition directive) {
                knownLocations(directive);
            }
            boolean fits = executable ? d instanceof OperationDefinition || d instanceof FragmentDefinition : d instanceof SDLDefinition;
            if (!fits) {
                SourceLocation at = d.getSourceLocation();
                throw GraphqlException.at("Unexpected " + describe(firstWordAt(text, at)), at.getLine(), at.getColumn());
            }
        }
        return doc;
    }

    /** gqlparser's parser knows the specification's directive locations only; graphql-java takes any name. */
    private static void knownLocations(DirectiveDefinition directive) {
        for (DirectiveLocation location : directive.getDirectiveLocations()) {
            if (!LOCATIONS.contains(location.getName())) {
                SourceLocation at = location.getSourceLocation();
                throw GraphqlException.at("Unexpected " + describe(location.getName()), at.getLine(), at.getColumn());
            }
        }
    }

    /** The tokens on the default channel (no comments, commas or whitespace), without the end of input. */
    private static List<Token> tokens(String text) {
        GraphqlLexer lexer = new GraphqlLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        lexer.addErrorListener(new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> recognizer, Object symbol, int line, int column, String msg,
                    RecognitionException e) {
                throw GraphqlException.at("Unexpected <Invalid>", line, column + 1);
            }
        });
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
