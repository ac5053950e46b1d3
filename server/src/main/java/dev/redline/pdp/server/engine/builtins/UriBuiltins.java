package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** {@code uri.parse} and {@code uri.is_valid} (topdown/uri.go): a URL's parts as Go's net/url reads them. */
final class UriBuiltins {
    private UriBuiltins() {}

    static void addTo(Map<String, HostFunction.Body> builtins) {
        builtins.put("uri.parse", ops -> parts(GoUrl.parse("uri.parse", Operands.string("uri.parse", ops, 0))));
        builtins.put("uri.is_valid", ops -> {
            if (!ops[0].isTextual() || ops[0].textValue().isEmpty()) {
                return Operands.bool(false); // OPA refuses the empty reference, though RFC 3986 allows it
            }
            try {
                GoUrl.parse("uri.is_valid", ops[0].textValue());
                return Operands.bool(true);
            } catch (BuiltinError e) {
                return Operands.bool(false);
            }
        });
    }

    /** Only the parts the URL has; raw_path always beside path. */
    private static ObjectNode parts(GoUrl url) {
        ObjectNode out = Operands.NODES.objectNode();
        putIfAny(out, "scheme", url.scheme());
        putIfAny(out, "hostname", url.hostname());
        putIfAny(out, "port", url.port());
        if (!url.path().isEmpty()) {
            out.put("path", url.path());
            out.put("raw_path", url.rawPath().isEmpty() ? url.path() : url.rawPath());
        }
        putIfAny(out, "raw_query", url.rawQuery());
        putIfAny(out, "fragment", url.fragment());
        return out;
    }

    private static void putIfAny(ObjectNode out, String key, String value) {
        if (!value.isEmpty()) {
            out.put(key, value);
        }
    }
}
