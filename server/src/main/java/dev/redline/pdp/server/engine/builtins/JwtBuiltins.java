package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code io.jwt.*} as OPA's topdown/tokens.go defines them: decoding, the fixed-algorithm
 * {@code verify_*} checks, {@code decode_verify} with its constraints (the evaluation's
 * {@code time.now_ns} when no {@code time} is given), and {@code encode_sign(_raw)}. Keys come
 * from {@link JoseKeys}, signatures from {@link Jws}.
 */
final class JwtBuiltins {
    private static final ObjectReader STRICT_JSON = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> HEADER_STRINGS = Set.of("alg", "kid", "typ", "cty");

    private JwtBuiltins() {}

    static void addTo(Map<String, HostFunction.Body> builtins, EvaluationScope evaluation) {
        builtins.put("io.jwt.decode", ops -> decode(token("io.jwt.decode", ops[0])));
        for (String alg : List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
                "ES256", "ES384", "ES512", "EdDSA")) {
            String name = "io.jwt.verify_" + alg.toLowerCase(java.util.Locale.ROOT);
            builtins.put(name, ops -> Operands.bool(verifyWithKeys(name, alg, ops)));
        }
        for (String alg : List.of("HS256", "HS384", "HS512")) {
            String name = "io.jwt.verify_" + alg.toLowerCase(java.util.Locale.ROOT);
            builtins.put(name, ops -> {
                String jwt = Operands.string(name, ops, 0);
                byte[] secret = Operands.string(name, ops, 1).getBytes(StandardCharsets.UTF_8);
                Token token = token(name, Operands.text(jwt));
                return Operands.bool(Jws.verify(secret, alg, token.signingInput(), token.signature(name)));
            });
        }
        builtins.put("io.jwt.decode_verify", ops -> decodeVerify(ops, evaluation));
        builtins.put("io.jwt.encode_sign", ops -> encodeSign("io.jwt.encode_sign",
                GoJson.write(ops[0], "", null), GoJson.write(ops[1], "", null), GoJson.write(ops[2], "", null)));
        builtins.put("io.jwt.encode_sign_raw", ops -> {
            String jwk = Operands.string("io.jwt.encode_sign_raw", ops, 2);
            return encodeSign("io.jwt.encode_sign_raw", Operands.string("io.jwt.encode_sign_raw", ops, 0),
                    Operands.string("io.jwt.encode_sign_raw", ops, 1), jwk);
        });
    }

    /** A compact JWS split in its three encoded parts. */
    private record Token(String header, String payload, String encodedSignature) {
        byte[] signingInput() {
            return (header + "." + payload).getBytes(StandardCharsets.UTF_8);
        }

        byte[] signature(String builtin) {
            return base64Url(builtin, encodedSignature);
        }

        ObjectNode decodedHeader(String builtin) {
            ObjectNode h;
            try {
                h = jsonObject(builtin, text(base64Url(builtin, header)));
            } catch (BuiltinError e) {
                throw new BuiltinError(builtin, "JWT header had invalid encoding: " + e.getMessage());
            }
            if (h.has("enc")) {
                throw new BuiltinError(builtin, "JWT is a JWE object, which is not supported");
            }
            return h;
        }

        String decodedPayload(String builtin) {
            return text(base64Url(builtin, payload));
        }
    }

    /** The header parameters OPA checks before trusting a signature. */
    private record Header(String alg, String kid, String cty, Set<String> crit, List<String> unknown) {
        /** RFC 7515: alg is required, and a critical parameter nobody understands spoils the token. */
        boolean valid() {
            return !alg.isEmpty() && unknown.stream().noneMatch(crit::contains);
        }
    }

    private static Token token(String builtin, JsonNode operand) {
        if (!operand.isTextual()) {
            throw new BuiltinError(builtin, "operand 1 must be string");
        }
        String jwt = operand.textValue();
        if (!jwt.contains(".")) {
            throw new BuiltinError(builtin, "encoded JWT had no period separators");
        }
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            throw new BuiltinError(builtin, "encoded JWT must have 3 sections, found " + parts.length);
        }
        return new Token(parts[0], parts[1], parts[2]);
    }

    private static Header header(String builtin, ObjectNode decoded) {
        String alg = "";
        String kid = "";
        String cty = "";
        Set<String> crit = new HashSet<>();
        List<String> unknown = new ArrayList<>();
        for (var it = decoded.fields(); it.hasNext();) {
            var field = it.next();
            String name = field.getKey();
            JsonNode v = field.getValue();
            if (HEADER_STRINGS.contains(name)) {
                if (!v.isTextual()) {
                    throw new BuiltinError(builtin, name + ": must be a string");
                }
                switch (name) {
                    case "alg" -> alg = v.textValue();
                    case "kid" -> kid = v.textValue();
                    case "cty" -> cty = v.textValue();
                    default -> { }
                }
            } else if (name.equals("crit")) {
                if (!v.isArray()) {
                    throw new BuiltinError(builtin, "crit: must be a list");
                }
                for (JsonNode c : v) {
                    if (!c.isTextual()) {
                        break; // OPA stops reading the list at its first non-string
                    }
                    crit.add(c.textValue());
                }
                if (crit.isEmpty()) {
                    throw new BuiltinError(builtin, "crit: must be a nonempty list");
                }
            } else {
                unknown.add(name);
            }
        }
        return new Header(alg, kid, cty, crit, unknown);
    }

    private static JsonNode decode(Token token) {
        String builtin = "io.jwt.decode";
        ObjectNode header = token.decodedHeader(builtin);
        String payload;
        try {
            payload = token.decodedPayload(builtin);
        } catch (BuiltinError e) {
            throw new BuiltinError(builtin, "JWT payload had invalid encoding: " + e.getMessage());
        }
        JsonNode cty = header.get("cty");
        if (cty != null && cty.isTextual() && cty.textValue().equals("JWT")) {
            // a nested token is the quoted payload of the outer one
            return decode(token(builtin, Operands.text(trim(payload, "\"'"))));
        }
        ObjectNode claims = jsonObject(builtin, payload);
        byte[] signature;
        try {
            signature = token.signature(builtin);
        } catch (BuiltinError e) {
            throw new BuiltinError(builtin, "JWT signature had invalid encoding: " + e.getMessage());
        }
        ArrayNode out = Operands.array();
        out.add(header);
        out.add(claims);
        out.add(HexFormat.of().formatHex(signature));
        return out;
    }

    /** verify_rs256 and kin: the signature checked with the builtin's own algorithm. */
    private static boolean verifyWithKeys(String builtin, String alg, JsonNode[] ops) {
        Token token = token(builtin, ops[0]);
        List<JoseKeys.Key> keys = JoseKeys.verificationKeys(builtin, Operands.string(builtin, ops, 1));
        byte[] signature = token.signature(builtin);
        Header header = header(builtin, token.decodedHeader(builtin));
        return anyKeyVerifies(keys, header, alg, token.signingInput(), signature);
    }

    /** The key the token's kid names, when a JWK set has it; else any key of the header's alg, or of none. */
    private static boolean anyKeyVerifies(List<JoseKeys.Key> keys, Header header, String alg, byte[] input,
                                          byte[] signature) {
        if (!header.kid().isEmpty()) {
            for (JoseKeys.Key key : keys) {
                if (key.kid().equals(header.kid())) {
                    return Jws.verify(key.key(), alg, input, signature);
                }
            }
        }
        for (JoseKeys.Key key : keys) {
            if ((key.alg().isEmpty() || key.alg().equals(header.alg())) && Jws.verify(key.key(), alg, input, signature)) {
                return true;
            }
        }
        return false;
    }

    /** What decode_verify checks a token against. */
    private record Constraints(List<JoseKeys.Key> keys, String secret, String alg, String iss, String aud,
                               double timeNanos) {}

    private static Constraints constraints(JsonNode object, EvaluationScope evaluation) {
        String builtin = "io.jwt.decode_verify";
        List<JoseKeys.Key> keys = null;
        String secret = "";
        String alg = "";
        String iss = "";
        String aud = "";
        Double time = null;
        for (var it = object.fields(); it.hasNext();) {
            var field = it.next();
            JsonNode v = field.getValue();
            String name = field.getKey();
            switch (name) {
                case "cert" -> keys = JoseKeys.verificationKeys(builtin, constraintString(name, v));
                case "secret" -> secret = constraintString(name, v);
                case "alg" -> alg = constraintString(name, v);
                case "iss" -> iss = constraintString(name, v);
                case "aud" -> aud = constraintString(name, v);
                case "time" -> time = timeConstraint(v);
                default -> throw new BuiltinError(builtin, "unknown token validation constraint: " + name);
            }
        }
        int keyConstraints = (keys != null ? 1 : 0) + (secret.isEmpty() ? 0 : 1);
        if (keyConstraints > 1) {
            throw new BuiltinError(builtin, "duplicate key constraints");
        }
        if (keyConstraints < 1) {
            throw new BuiltinError(builtin, "no key constraint");
        }
        double now = time != null ? time : (double) evaluation.nowNanos();
        return new Constraints(keys, secret, alg, iss, aud, now);
    }

    private static String constraintString(String name, JsonNode v) {
        if (!v.isTextual()) {
            throw new BuiltinError("io.jwt.decode_verify", name + " constraint: must be a string");
        }
        return v.textValue();
    }

    private static double timeConstraint(JsonNode v) {
        if (!v.isNumber()) {
            throw new BuiltinError("io.jwt.decode_verify", "token time constraint: must be a number");
        }
        double t = v.doubleValue();
        if (t < 0) {
            throw new BuiltinError("io.jwt.decode_verify", "token time constraint: must not be negative");
        }
        return t;
    }

    private static boolean verified(Constraints c, Header header, Token token, byte[] signature) {
        if (c.keys() == null) {
            return Jws.verify(c.secret().getBytes(StandardCharsets.UTF_8), header.alg(), token.signingInput(), signature);
        }
        return anyKeyVerifies(c.keys(), header, header.alg(), token.signingInput(), signature);
    }

    /** [valid, header, payload]: valid only when the signature verifies and every constraint holds. */
    private static JsonNode decodeVerify(JsonNode[] ops, EvaluationScope evaluation) {
        String builtin = "io.jwt.decode_verify";
        Constraints c = constraints(Operands.object(builtin, ops, 1), evaluation);
        JsonNode jwt = ops[0];
        Token token;
        ObjectNode decodedHeader;
        String payloadText;
        while (true) {
            token = token(builtin, jwt);
            decodedHeader = token.decodedHeader(builtin);
            Header header = header(builtin, decodedHeader);
            if (!header.valid() || (!c.alg().isEmpty() && !c.alg().equals(header.alg()))) {
                return unverified();
            }
            byte[] signature = token.signature(builtin);
            if (!verified(c, header, token, signature)) {
                return unverified();
            }
            try {
                payloadText = token.decodedPayload(builtin);
            } catch (BuiltinError e) {
                throw new BuiltinError(builtin, "JWT payload had invalid encoding: " + e.getMessage());
            }
            if (!header.cty().equalsIgnoreCase("JWT")) {
                break;
            }
            jwt = Operands.text(payloadText); // nested token: verify the inner one as well
        }
        ObjectNode payload = jsonObject(builtin, payloadText);
        if (!c.iss().isEmpty()) {
            JsonNode iss = payload.get("iss");
            if (iss == null || !iss.isTextual() || !iss.textValue().equals(c.iss())) {
                return unverified();
            }
        }
        JsonNode aud = payload.get("aud");
        if (aud != null ? !validAudience(aud, c.aud()) : !c.aud().isEmpty()) {
            return unverified();
        }
        BigDecimal nowSeconds = BigDecimal.valueOf(c.timeNanos() / 1e9);
        JsonNode exp = payload.get("exp");
        if (exp != null) {
            if (!exp.isNumber()) {
                throw new BuiltinError(builtin, "exp value must be a number");
            }
            if (nowSeconds.compareTo(exp.decimalValue()) >= 0) {
                return unverified();
            }
        }
        JsonNode nbf = payload.get("nbf");
        if (nbf != null) {
            if (!nbf.isNumber()) {
                throw new BuiltinError(builtin, "nbf value must be a number");
            }
            if (nowSeconds.compareTo(nbf.decimalValue()) < 0) {
                return unverified();
            }
        }
        ArrayNode out = Operands.array();
        out.add(true);
        out.add(decodedHeader);
        out.add(payload);
        return out;
    }

    private static boolean validAudience(JsonNode aud, String wanted) {
        if (aud.isTextual()) {
            return aud.textValue().equals(wanted);
        }
        if (!aud.isArray()) {
            return false;
        }
        for (JsonNode a : aud) {
            if (a.isTextual() && a.textValue().equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode unverified() {
        ArrayNode out = Operands.array();
        out.add(false);
        out.addObject();
        out.addObject();
        return out;
    }

    /** The compact JWS of the header and payload texts as given, signed with the JWK's first key. */
    private static JsonNode encodeSign(String builtin, String headerText, String payloadText, String jwk) {
        Object key = JoseKeys.signingKey(builtin, jwk);
        JsonNode header;
        try {
            header = STRICT_JSON.readTree(headerText);
        } catch (IOException e) {
            header = null;
        }
        JsonNode alg = header != null && header.isObject() ? header.get("alg") : null;
        if (alg == null || !alg.isTextual()) {
            throw new BuiltinError(builtin, "missing or invalid 'alg' header");
        }
        if (!Jws.ALGORITHMS.contains(alg.textValue())) {
            throw new BuiltinError(builtin, "unknown JWS algorithm: " + alg.textValue());
        }
        JsonNode typ = header.get("typ");
        boolean jwt = typ == null || !typ.isTextual() || typ.textValue().equals("JWT");
        if (jwt && !isJson(payloadText)) {
            throw new BuiltinError(builtin, "type is JWT but payload is not JSON");
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(headerText.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payloadText.getBytes(StandardCharsets.UTF_8));
        byte[] signature = Jws.sign(builtin, key, alg.textValue(), signingInput.getBytes(StandardCharsets.UTF_8));
        return Operands.text(signingInput + "." + b64.encodeToString(signature));
    }

    private static boolean isJson(String text) {
        try {
            STRICT_JSON.readTree(text);
            return !text.isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    /** OPA's base64url.decode: padding restored when missing, then strict base64url. */
    static byte[] base64Url(String builtin, String s) {
        String padded = s;
        if (!s.endsWith("=")) {
            switch (s.length() % 4) {
                case 0 -> { }
                case 2 -> padded = s + "==";
                case 3 -> padded = s + "=";
                default -> throw new BuiltinError(builtin, "illegal base64url string: " + s);
            }
        }
        try {
            return Base64.getUrlDecoder().decode(padded);
        } catch (IllegalArgumentException e) {
            throw new BuiltinError(builtin, "illegal base64 data: " + e.getMessage());
        }
    }

    private static ObjectNode jsonObject(String builtin, String text) {
        JsonNode v;
        try {
            v = STRICT_JSON.readTree(text);
        } catch (IOException e) {
            throw new BuiltinError(builtin, "invalid JSON: " + e.getMessage());
        }
        if (v == null || !v.isObject()) {
            throw new BuiltinError(builtin, "decoded JSON type was not an Object");
        }
        return (ObjectNode) v;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String trim(String s, String cutset) {
        int from = 0;
        int to = s.length();
        while (from < to && cutset.indexOf(s.charAt(from)) >= 0) {
            from++;
        }
        while (to > from && cutset.indexOf(s.charAt(to - 1)) >= 0) {
            to--;
        }
        return s.substring(from, to);
    }
}
