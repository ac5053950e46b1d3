package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.x509.Certificate;

/**
 * {@code crypto.x509.*} and {@code crypto.parse_private_keys} as OPA defines them (topdown/crypto.go):
 * the same input forms (PEM, base64 of PEM, base64 of DER), Go's JSON shapes for what is parsed
 * ({@link GoX509Json}, {@link GoPrivateKeys}) and Go's messages where a policy could see them.
 * Chains are verified by {@link ChainVerification}.
 */
final class X509Builtins {
    private static final String PARSE = "crypto.x509.parse_certificates";
    private static final String VERIFY = "crypto.x509.parse_and_verify_certificates";
    private static final String VERIFY_WITH_OPTIONS = "crypto.x509.parse_and_verify_certificates_with_options";
    private static final String CSR = "crypto.x509.parse_certificate_request";
    private static final String KEYPAIR = "crypto.x509.parse_keypair";
    private static final String RSA_KEY = "crypto.x509.parse_rsa_private_key";
    private static final String PRIVATE_KEYS = "crypto.parse_private_keys";
    private static final String BEGIN = "-----BEGIN";

    private X509Builtins() {}

    static void addTo(Map<String, HostFunction.Body> builtins) {
        builtins.put(PARSE, ops -> certificatesJson(certificates(PARSE, Operands.string(PARSE, ops, 0))));
        builtins.put(VERIFY, ops -> verify(VERIFY, Operands.string(VERIFY, ops, 0), () -> ChainVerification.DEFAULTS));
        builtins.put(VERIFY_WITH_OPTIONS, ops -> {
            String input = Operands.string(VERIFY_WITH_OPTIONS, ops, 0);
            JsonNode options = Operands.object(VERIFY_WITH_OPTIONS, ops, 1);
            return verify(VERIFY_WITH_OPTIONS, input, () -> ChainVerification.fromOptions(VERIFY_WITH_OPTIONS, options));
        });
        builtins.put(CSR, ops -> certificateRequest(Operands.string(CSR, ops, 0)));
        builtins.put(KEYPAIR, ops -> keyPair(Operands.string(KEYPAIR, ops, 0), Operands.string(KEYPAIR, ops, 1)));
        builtins.put(RSA_KEY, ops -> privateKeyJwk(Operands.string(RSA_KEY, ops, 0)));
        builtins.put(PRIVATE_KEYS, ops -> privateKeys(Operands.string(PRIVATE_KEYS, ops, 0)));
    }

    /** The certificates of PEM text, base64 of PEM, or base64 of DER (one certificate or several back to back). */
    private static List<Certificate> certificates(String builtin, String input) {
        if (input.startsWith(BEGIN)) {
            return fromPem(builtin, input);
        }
        byte[] decoded = goBase64(builtin, input);
        String text = GoPem.text(decoded);
        return text.startsWith(BEGIN) ? fromPem(builtin, text) : fromDer(builtin, decoded);
    }

    private static List<Certificate> fromPem(String builtin, String pem) {
        java.io.ByteArrayOutputStream der = new java.io.ByteArrayOutputStream();
        String rest = pem;
        while (!rest.isEmpty()) {
            GoPem.Decoded d = GoPem.decode(rest);
            if (d.block() == null) {
                break;
            }
            if (!d.block().type().equals("CERTIFICATE")) {
                throw new BuiltinError(builtin, "PEM block type is '" + d.block().type() + "', expected CERTIFICATE");
            }
            der.writeBytes(d.block().bytes());
            rest = d.rest();
        }
        return fromDer(builtin, der.toByteArray());
    }

    private static List<Certificate> fromDer(String builtin, byte[] der) {
        List<Certificate> certs = new ArrayList<>();
        try (ASN1InputStream in = new ASN1InputStream(der)) {
            for (ASN1Primitive p = in.readObject(); p != null; p = in.readObject()) {
                certs.add(Certificate.getInstance(p));
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new BuiltinError(builtin, "x509: malformed certificate");
        }
        return certs;
    }

    private static ArrayNode certificatesJson(List<Certificate> certs) {
        ArrayNode out = Operands.array();
        for (Certificate c : certs) {
            out.add(certificateJson(c));
        }
        return out;
    }

    private static ObjectNode certificateJson(Certificate c) {
        try {
            return GoX509Json.certificate(c);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new BuiltinError(PARSE, "x509: malformed certificate");
        }
    }

    /**
     * [true, the verified chain from leaf to root] or, for anything unparsable or unverifiable, [false, []].
     * The options are read only once the certificates parse, as in OPA.
     */
    private static JsonNode verify(String builtin, String input, java.util.function.Supplier<ChainVerification> options) {
        ArrayNode invalid = Operands.array().add(false).add(Operands.array());
        List<Certificate> certs;
        try {
            certs = certificates(builtin, input);
        } catch (BuiltinError e) {
            return invalid;
        }
        List<Certificate> chain = options.get().verify(certs);
        if (chain == null) {
            return invalid;
        }
        ArrayNode out = certificatesJson(chain);
        if (builtin.equals(VERIFY_WITH_OPTIONS)) {
            out.forEach(c -> ((ObjectNode) c).remove("URIStrings")); // OPA returns this one's certificates unextended
        }
        return Operands.array().add(true).add(out);
    }

    private static JsonNode certificateRequest(String input) {
        byte[] bytes = input.startsWith("-----BEGIN CERTIFICATE REQUEST-----")
                ? input.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1) : goBase64(CSR, input);
        GoPem.Decoded pem = GoPem.decode(GoPem.text(bytes));
        if (pem.block() != null) {
            if (!pem.block().type().equals("CERTIFICATE REQUEST")) {
                throw new BuiltinError(CSR, "invalid PEM-encoded certificate signing request");
            }
            bytes = pem.block().bytes();
        }
        try {
            return GoX509Json.certificateRequest(CertificationRequest.getInstance(ASN1Primitive.fromByteArray(bytes)));
        } catch (IOException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
            throw new BuiltinError(CSR, "asn1: structure error: " + e.getMessage());
        }
    }

    /** A tls.Certificate: the certificates' DER, the private key, the parsed leaf; the key must match the leaf. */
    private static JsonNode keyPair(String certInput, String keyInput) {
        String certPem = pemOrDecoded(certInput);
        String keyPem = pemOrDecoded(keyInput);
        if (!certPem.startsWith(BEGIN + " ")) {
            certPem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(
                    certPem.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)) + "\n-----END CERTIFICATE-----\n";
        }
        ArrayNode ders = Operands.array();
        List<Certificate> certs = new ArrayList<>();
        for (String rest = certPem; ; ) {
            GoPem.Decoded d = GoPem.decode(rest);
            if (d.block() == null) {
                break;
            }
            if (d.block().type().equals("CERTIFICATE")) {
                ders.add(GoX509Json.base64(d.block().bytes()));
                certs.addAll(fromDer(KEYPAIR, d.block().bytes()));
            }
            rest = d.rest();
        }
        if (certs.isEmpty()) {
            throw new BuiltinError(KEYPAIR, "tls: failed to find any PEM data in certificate input");
        }
        GoPrivateKeys key = keyOfPem(keyPem);
        ObjectNode leaf = certificateJson(certs.get(0));
        leaf.remove("URIStrings");
        if (!publicPartMatches(key, leaf.get("PublicKey"))) {
            throw new BuiltinError(KEYPAIR, "tls: private key does not match public key");
        }
        ObjectNode out = Operands.NODES.objectNode();
        out.set("Certificate", ders);
        out.set("PrivateKey", key.goJson());
        out.putNull("SupportedSignatureAlgorithms");
        out.putNull("OCSPStaple");
        out.putNull("SignedCertificateTimestamps");
        out.set("Leaf", leaf);
        return out;
    }

    /** The first "... PRIVATE KEY" block of the key input (DER is taken as PKCS#8), as tls.X509KeyPair reads it. */
    private static GoPrivateKeys keyOfPem(String keyPem) {
        if (!keyPem.startsWith(BEGIN)) {
            return GoPrivateKeys.anyOf(KEYPAIR, keyPem.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        for (String rest = keyPem; ; ) {
            GoPem.Decoded d = GoPem.decode(rest);
            if (d.block() == null) {
                throw new BuiltinError(KEYPAIR, "tls: failed to find any PEM data in key input");
            }
            if (d.block().type().equals("PRIVATE KEY") || d.block().type().endsWith(" PRIVATE KEY")) {
                return GoPrivateKeys.anyOf(KEYPAIR, d.block().bytes());
            }
            rest = d.rest();
        }
    }

    private static boolean publicPartMatches(GoPrivateKeys key, JsonNode certKey) {
        JsonNode mine = key.goJson();
        if (key instanceof GoPrivateKeys.Ed25519 ed) {
            return certKey.isTextual() && certKey.textValue().equals(GoX509Json.base64(ed.publicKey()));
        }
        String[] fields = key instanceof GoPrivateKeys.Rsa ? new String[] {"N", "E"} : new String[] {"X", "Y"};
        for (String f : fields) {
            if (!certKey.path(f).equals(mine.get(f))) {
                return false;
            }
        }
        return true;
    }

    private static String pemOrDecoded(String input) {
        return input.startsWith(BEGIN + " ") ? input : GoPem.text(goBase64(KEYPAIR, input));
    }

    /** The first private key as a JWK, or null when the PEM holds none. */
    private static JsonNode privateKeyJwk(String input) {
        if (input.isEmpty()) {
            throw new BuiltinError(RSA_KEY, "input PEM data was empty");
        }
        String pem = input.startsWith(BEGIN) ? input : GoPem.text(goBase64(RSA_KEY, input));
        List<GoPrivateKeys> keys = keysOf(RSA_KEY, pem);
        return keys.isEmpty() ? Operands.NODES.nullNode() : keys.get(0).jwk();
    }

    private static JsonNode privateKeys(String input) {
        if (input.isEmpty()) {
            return Operands.NODES.nullNode();
        }
        ArrayNode out = Operands.array();
        keysOf(PRIVATE_KEYS, input).forEach(k -> out.add(k.goJson()));
        return out;
    }

    /** Every private key block of the text, or of its base64 decoding when it is base64; other blocks skipped. */
    private static List<GoPrivateKeys> keysOf(String builtin, String input) {
        String rest = input;
        try {
            rest = GoPem.text(goBase64(builtin, input));
        } catch (BuiltinError e) {
            // not base64: the text is the PEM itself
        }
        List<GoPrivateKeys> keys = new ArrayList<>();
        while (!rest.isEmpty()) {
            GoPem.Decoded d = GoPem.decode(rest);
            if (d.block() == null) {
                break;
            }
            GoPrivateKeys key = GoPrivateKeys.fromBlock(builtin, d.block());
            if (key != null) {
                keys.add(key);
            }
            rest = d.rest();
        }
        return keys;
    }

    /** Go's base64.StdEncoding.DecodeString: padding required, CR and LF ignored, Go's message on a bad byte. */
    static byte[] goBase64(String builtin, String s) {
        String text = s.replace("\r", "").replace("\n", "");
        int bad = -1;
        for (int i = 0; i < text.length() && bad < 0; i++) {
            char c = text.charAt(i);
            boolean alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (!alphabet && !(c == '=' && i >= text.length() - 2 && text.length() % 4 == 0)) {
                bad = i;
            }
        }
        if (bad < 0 && text.length() % 4 != 0) {
            bad = text.length() / 4 * 4;
        }
        try {
            if (bad < 0) {
                return Base64.getDecoder().decode(text);
            }
        } catch (IllegalArgumentException e) {
            bad = 0;
        }
        throw new BuiltinError(builtin, "illegal base64 data at input byte " + bad);
    }
}
