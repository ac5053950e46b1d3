package dev.redline.pdp.server.engine.builtins;

/** A GraphQL text or AST that gqlparser (OPA's GraphQL library) would refuse, worded as OPA words it. */
final class GraphqlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GraphqlException(String message) {
        super(message, null, false, false);
    }

    /** An error at a place in the GraphQL text, as OPA reports it. */
    static GraphqlException at(String what, int line, int column) {
        return new GraphqlException(what + " in GraphQL string at location " + line + ":" + column);
    }
}
