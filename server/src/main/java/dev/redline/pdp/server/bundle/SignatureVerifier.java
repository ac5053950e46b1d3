package dev.redline.pdp.server.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import java.io.IOException;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Checks a bundle's {@code .signatures.json} as OPA does: one JWS whose payload lists every file
 * with its hash; the JWS must verify with the configured key its key id names, and every file of
 * the bundle must be listed with a matching hash (and every listed file present).
 */
final class SignatureVerifier {
    static final String SIGNATURES_FILE = ".signatures.json";

    private final ObjectMapper json;
    private final SignaturePolicy policy;
    private final OpaFileHash hashes;

    SignatureVerifier(ObjectMapper json, SignaturePolicy policy) {
        this.json = json;
        this.policy = policy;
        this.hashes = new OpaFileHash(json.getFactory());
    }

    /** Returns the key id that signed the bundle, or empty for an unsigned bundle that is acceptable. */
    Optional<String> verify(Map<String, byte[]> files) throws InvalidBundleException {
        byte[] signatures = files.get(SIGNATURES_FILE);
        if (signatures == null) {
            if (policy.required()) {
                throw new InvalidBundleException("bundle is not signed, and this PDP requires signed bundles"
                        + " (build it with opa build --signing-key ...)");
            }
            return Optional.empty();
        }
        if (policy.keys().isEmpty()) {
            throw new InvalidBundleException("bundle is signed but this PDP has no verification key configured"
                    + " to check it (--verification-key ID:ALG:FILE)");
        }
        JWSObject jws = parse(signatures);
        Map<String, Object> claims = jws.getPayload().toJSONObject();
        if (claims == null) {
            throw new InvalidBundleException(SIGNATURES_FILE + ": the signature payload is not a JSON object");
        }
        String keyId = jws.getHeader().getKeyID() != null ? jws.getHeader().getKeyID() : text(claims.get("keyid"));
        VerificationKey key = policy.keys().get(keyId);
        if (key == null) {
            throw new InvalidBundleException("bundle is signed with key id \"" + keyId
                    + "\", which is not a configured verification key (configured: " + policy.keyIds() + ")");
        }
        if (!key.algorithm().equals(jws.getHeader().getAlgorithm())) {
            throw new InvalidBundleException("bundle signature uses " + jws.getHeader().getAlgorithm()
                    + " but key \"" + keyId + "\" is configured for " + key.algorithm());
        }
        try {
            if (!jws.verify(key.verifier())) {
                throw new InvalidBundleException("bundle signature does not verify with key \"" + keyId + "\"");
            }
        } catch (JOSEException e) {
            throw new InvalidBundleException("bundle signature cannot be checked with key \"" + keyId + "\": "
                    + e.getMessage(), e);
        }
        checkFiles(files, jws.getPayload().toString());
        return Optional.of(keyId);
    }

    private JWSObject parse(byte[] signatures) throws InvalidBundleException {
        JsonNode list;
        try {
            list = json.readTree(signatures).path("signatures");
        } catch (IOException e) {
            throw new InvalidBundleException(SIGNATURES_FILE + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!list.isArray() || list.size() != 1 || !list.get(0).isTextual()) {
            throw new InvalidBundleException(SIGNATURES_FILE + " must hold exactly one signature in \"signatures\"");
        }
        try {
            return JWSObject.parse(list.get(0).textValue());
        } catch (ParseException e) {
            throw new InvalidBundleException(SIGNATURES_FILE + " holds a malformed JWS: " + e.getMessage(), e);
        }
    }

    private void checkFiles(Map<String, byte[]> files, String payload) throws InvalidBundleException {
        JsonNode signed;
        try {
            signed = json.readTree(payload).path("files");
        } catch (IOException e) {
            throw new InvalidBundleException(SIGNATURES_FILE + ": the signed payload is not JSON", e);
        }
        if (!signed.isArray()) {
            throw new InvalidBundleException(SIGNATURES_FILE + ": the signed payload lists no files");
        }
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode file : signed) {
            byName.put(file.path("name").asText(), file);
        }
        TreeSet<String> unsigned = new TreeSet<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String path = file.getKey();
            if (path.equals(SIGNATURES_FILE)) {
                continue;
            }
            JsonNode entry = byName.remove(path);
            if (entry == null) {
                unsigned.add(path);
                continue;
            }
            String algorithm = entry.path("algorithm").asText("SHA-256");
            String actual = hashes.hex(path, file.getValue(), algorithm);
            if (!actual.equalsIgnoreCase(entry.path("hash").asText())) {
                throw new InvalidBundleException("bundle file " + path + " does not match its signed " + algorithm
                        + " hash: it was changed after signing");
            }
        }
        if (!unsigned.isEmpty()) {
            throw new InvalidBundleException("bundle files not covered by the signature: " + unsigned);
        }
        if (!byName.isEmpty()) {
            throw new InvalidBundleException("signed files missing from the bundle: " + new TreeSet<>(byName.keySet()));
        }
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
