package dev.redline.pdp.server.bundle;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;

/**
 * A key that bundle signatures may be made with, under the key id policy authors sign with
 * ({@code opa build --signing-key ... --claims-file} / the JWS {@code kid}).
 *
 * @param keyId the id signatures name
 * @param algorithm the only JWS algorithm accepted for this key, e.g. RS256, ES256, HS256
 * @param verifier checks signatures made with the key
 */
public record VerificationKey(String keyId, JWSAlgorithm algorithm, JWSVerifier verifier) {
    private static final Set<JWSAlgorithm> RSA = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);
    private static final Set<JWSAlgorithm> EC = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    private static final Set<JWSAlgorithm> HMAC = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);

    /**
     * Builds a key from its file content: a PEM public key for RS*, PS* and ES*, the shared
     * secret itself for HS* (as {@code opa build --signing-key} takes it).
     */
    public static VerificationKey of(String keyId, String algorithm, byte[] keyMaterial) {
        JWSAlgorithm alg = JWSAlgorithm.parse(algorithm);
        try {
            if (RSA.contains(alg)) {
                return new VerificationKey(keyId, alg, new RSASSAVerifier((RSAPublicKey) publicKey("RSA", keyMaterial)));
            }
            if (EC.contains(alg)) {
                return new VerificationKey(keyId, alg, new ECDSAVerifier((ECPublicKey) publicKey("EC", keyMaterial)));
            }
            if (HMAC.contains(alg)) {
                return new VerificationKey(keyId, alg, new MACVerifier(keyMaterial));
            }
        } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("verification key " + keyId + " is not a valid " + alg + " key: "
                    + e.getMessage(), e);
        }
        throw new IllegalArgumentException("verification key " + keyId + ": algorithm " + algorithm
                + " is not supported; use one of RS256/384/512, PS256/384/512, ES256/384/512, HS256/384/512");
    }

    /** Reads a PEM "PUBLIC KEY" (X.509 SubjectPublicKeyInfo) with the JDK alone. */
    private static PublicKey publicKey(String family, byte[] pem) throws GeneralSecurityException {
        String text = new String(pem, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN PUBLIC KEY-----");
        int end = text.indexOf("-----END PUBLIC KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("expected a PEM block \"-----BEGIN PUBLIC KEY-----\"");
        }
        String base64 = text.substring(begin + "-----BEGIN PUBLIC KEY-----".length(), end).replaceAll("\\s", "");
        return KeyFactory.getInstance(family).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
