package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code providers.aws.sign_req} as OPA defines it (topdown/providers.go): the request and AWS
 * config checked the way OPA checks them, with OPA's messages, then signed with {@link AwsSigV4}
 * at the time the policy passes (the clock is never read). The result is the request with its
 * headers replaced by the request's own (as strings), the {@code Authorization} header and the
 * headers SigV4 adds.
 */
final class AwsSigningBuiltins {
    private static final String NAME = "providers.aws.sign_req";
    private static final List<String> REQUIRED_CONFIG =
            List.of("aws_access_key", "aws_region", "aws_secret_access_key", "aws_service");
    /** The keys an http.send request may have; sign_req holds requests to the same rule. */
    private static final Set<String> REQUEST_KEYS = Set.of("method", "url", "body", "enable_redirect",
            "force_json_decode", "force_yaml_decode", "headers", "raw_body", "tls_use_system_certs", "tls_ca_cert",
            "tls_ca_cert_file", "tls_ca_cert_env_variable", "tls_client_cert", "tls_client_cert_file",
            "tls_client_cert_env_variable", "tls_client_key", "tls_client_key_file", "tls_client_key_env_variable",
            "tls_insecure_skip_verify", "tls_server_name", "timeout", "cache", "force_cache",
            "force_cache_duration_seconds", "raise_error", "caching_mode", "max_retry_attempts", "cache_ignored_headers");

    private AwsSigningBuiltins() {}

    static void addTo(Map<String, HostFunction.Body> builtins) {
        builtins.put(NAME, AwsSigningBuiltins::signRequest);
    }

    private static JsonNode signRequest(JsonNode[] ops) {
        JsonNode request = Operands.object(NAME, ops, 0);
        // OPA names the config and the time "operand 1" when their type is wrong; kept as OPA words it
        JsonNode config = objectOperand(ops[1]);
        checkConfig(config);
        long timeNs = timestamp(ops[2]);
        checkRequestKeys(request);
        JsonNode headers = request.path("headers");
        if (!headers.isMissingNode() && !headers.isObject()) {
            throw new BuiltinError(NAME, "operand 0 must be object");
        }
        Set<String> invalid = new TreeSet<>();
        for (String key : List.of("method", "url")) {
            if (!request.get(key).isTextual()) {
                invalid.add(key);
            }
        }
        if (!invalid.isEmpty()) {
            throw new BuiltinError(NAME, "operand 1 invalid values for required request parameters(s): " + setText(invalid));
        }
        GoUrl url = GoUrl.parse(NAME, request.get("url").textValue());
        boolean unsignedPayload = false;
        JsonNode disable = config.path("disable_payload_signing");
        if (!disable.isMissingNode()) {
            if (!disable.isBoolean()) {
                throw new BuiltinError(NAME, "operand 2 invalid value for 'disable_payload_signing' in AWS config");
            }
            unsignedPayload = disable.booleanValue();
        }
        ObjectNode requestHeaders = Operands.NODES.objectNode();
        headers.fields().forEachRemaining(h -> requestHeaders.put(h.getKey(), textOrEmpty(h.getValue())));
        AwsSigV4.Credentials credentials = new AwsSigV4.Credentials(config.get("aws_access_key").textValue(),
                config.get("aws_secret_access_key").textValue(), config.get("aws_region").textValue(),
                textOrEmpty(config.path("aws_session_token")));
        AwsSigV4.Signature signature = AwsSigV4.sign(request.get("method").textValue(), url, requestHeaders,
                body(request), config.get("aws_service").textValue(), credentials, timeNs, unsignedPayload);
        ObjectNode signedHeaders = requestHeaders.deepCopy(); // only strings in it
        signedHeaders.put("Authorization", signature.authorization());
        signature.addedHeaders().forEach(signedHeaders::put);
        // the request's other members are shared, not deep-copied: a copy would turn a set in the body into an array
        ObjectNode out = Operands.NODES.objectNode();
        request.fields().forEachRemaining(f -> out.set(f.getKey(), f.getValue()));
        out.set("headers", signedHeaders);
        return out;
    }

    private static JsonNode objectOperand(JsonNode v) {
        if (!v.isObject()) {
            throw new BuiltinError(NAME, "operand 1 must be object");
        }
        return v;
    }

    private static void checkConfig(JsonNode config) {
        Set<String> missing = new TreeSet<>();
        Set<String> invalid = new TreeSet<>();
        for (String key : REQUIRED_CONFIG) {
            if (!config.has(key)) {
                missing.add(key);
            } else if (!config.get(key).isTextual()) {
                invalid.add(key);
            }
        }
        if (!missing.isEmpty()) {
            throw new BuiltinError(NAME, "operand 2 missing required AWS config parameters(s): " + setText(missing));
        }
        if (!invalid.isEmpty()) {
            throw new BuiltinError(NAME, "operand 2 invalid values for required AWS config parameters(s): " + setText(invalid));
        }
    }

    /** The signing time: an integer written as one that fits in int64, as Go's {@code Number.Int64} reads it. */
    private static long timestamp(JsonNode v) {
        if (!v.isNumber()) {
            throw new BuiltinError(NAME, "operand 1 must be number");
        }
        if (v.isIntegralNumber() && !(v instanceof ValueText.WrittenNumber)) {
            BigInteger n = v.bigIntegerValue();
            if (n.bitLength() < 64) {
                return n.longValue();
            }
        }
        throw new BuiltinError(NAME, "operand 3 could not convert time_ns value into a unix timestamp");
    }

    private static void checkRequestKeys(JsonNode request) {
        Set<String> unknown = new TreeSet<>();
        request.fieldNames().forEachRemaining(k -> {
            if (!REQUEST_KEYS.contains(k)) {
                unknown.add(k);
            }
        });
        if (!unknown.isEmpty()) {
            throw new BuiltinError(NAME, "operand 1 invalid request parameters(s): " + setText(unknown));
        }
        Set<String> missing = new TreeSet<>();
        for (String key : List.of("method", "url")) {
            if (!request.has(key)) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            throw new BuiltinError(NAME, "operand 1 missing required request parameters(s): " + setText(missing));
        }
    }

    /** The payload: {@code raw_body} as it is, else {@code body} as Go's json.Marshal writes it, else nothing. */
    private static String body(JsonNode request) {
        if (request.has("raw_body")) {
            return textOrEmpty(request.get("raw_body"));
        }
        return request.has("body") ? GoJson.write(request.get("body"), "", null) : "";
    }

    private static String textOrEmpty(JsonNode v) {
        return v.isTextual() ? v.textValue() : "";
    }

    /** A set of strings as OPA prints it: {@code {"a", "b"}}. */
    private static String setText(Set<String> keys) {
        SetNode set = new SetNode();
        keys.forEach(set::add);
        return ValueText.print(set.normalize());
    }
}
