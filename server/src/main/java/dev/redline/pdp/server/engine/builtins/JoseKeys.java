package dev.redline.pdp.server.engine.builtins;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys {@code io.jwt.*} verify and sign with, read as OPA reads them: a PEM certificate or
 * public key, else a JWK or JWK set (parsed by Nimbus JOSE), whose keys keep their {@code alg} and
 * {@code kid}. A key is a JDK {@link PublicKey} or {@link PrivateKey}, or the bytes of a secret.
 */
final class JoseKeys {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([^-\\r\\n]+)-----\\r?\\n(.*?)-----END \\1-----[ \\t]*(\\r?\\n)?", Pattern.DOTALL);
    /** DER prefixes of an Ed25519 key: SubjectPublicKeyInfo before the 32 key bytes, PKCS#8 before the seed. */
    private static final byte[] ED25519_PUBLIC_PREFIX = java.util.HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] ED25519_PRIVATE_PREFIX =
            java.util.HexFormat.of().parseHex("302e020100300506032b657004220420");

    /** One key with the algorithm and key id its JWK named ("" when none). */
    record Key(String alg, String kid, Object key) {}

    private JoseKeys() {}

    /** The public keys of a PEM certificate or public key, or of a JWK (set), for verifying. */
    static List<Key> verificationKeys(String builtin, String certOrJwk) {
        Matcher pem = PEM.matcher(certOrJwk);
        if (pem.find()) {
            if (!certOrJwk.substring(pem.end()).isEmpty()) {
                throw new BuiltinError(builtin, "extra data after a PEM certificate block");
            }
            byte[] der = pemBody(builtin, pem.group(2));
            return switch (pem.group(1)) {
                case "CERTIFICATE" -> List.of(new Key("", "", certificateKey(builtin, der)));
                case "PUBLIC KEY" -> List.of(new Key("", "", publicKey(builtin, der)));
                default -> throw new BuiltinError(builtin, "failed to extract a Key from the PEM certificate");
            };
        }
        List<Key> keys = new ArrayList<>();
        for (JWK jwk : jwks(builtin, certOrJwk)) {
            String alg = jwk.getAlgorithm() == null ? "" : jwk.getAlgorithm().getName();
            if (!alg.isEmpty() && !Jws.ALGORITHMS.contains(alg)) {
                continue; // OPA skips keys for algorithms it does not know
            }
            keys.add(new Key(alg, jwk.getKeyID() == null ? "" : jwk.getKeyID(), publicPart(builtin, jwk)));
        }
        return keys;
    }

    /** The first key of a JWK (set), private where it has a private part, for signing. */
    static Object signingKey(String builtin, String jwkText) {
        List<JWK> keys = jwks(builtin, jwkText);
        if (keys.isEmpty()) {
            throw new BuiltinError(builtin, "no keys found in JWK set");
        }
        JWK jwk = keys.get(0);
        try {
            if (jwk instanceof RSAKey rsa && rsa.isPrivate()) {
                return rsa.toPrivateKey();
            }
            if (jwk instanceof ECKey ec && ec.isPrivate()) {
                return ec.toPrivateKey();
            }
            if (jwk instanceof OctetKeyPair okp && okp.isPrivate()) {
                return ed25519(builtin, ED25519_PRIVATE_PREFIX, okp.getD().decode(), true);
            }
        } catch (JOSEException e) {
            throw new BuiltinError(builtin, "failed to use the JWK: " + e.getMessage());
        }
        return publicPart(builtin, jwk);
    }

    private static List<JWK> jwks(String builtin, String text) {
        try {
            if (Json.MAPPER.readTree(text).has("keys")) {
                return JWKSet.parse(text).getKeys();
            }
            return List.of(JWK.parse(text));
        } catch (java.text.ParseException | com.fasterxml.jackson.core.JsonProcessingException
                | IllegalStateException e) {
            throw new BuiltinError(builtin, "failed to parse a JWK key (set): " + e.getMessage());
        }
    }

    private static Object publicPart(String builtin, JWK jwk) {
        try {
            if (jwk instanceof RSAKey rsa) {
                return rsa.toPublicKey();
            }
            if (jwk instanceof ECKey ec) {
                return ec.toPublicKey();
            }
            if (jwk instanceof OctetKeyPair okp) {
                return ed25519(builtin, ED25519_PUBLIC_PREFIX, okp.getX().decode(), false);
            }
            if (jwk instanceof OctetSequenceKey oct) {
                return oct.toByteArray();
            }
        } catch (JOSEException e) {
            throw new BuiltinError(builtin, "failed to use the JWK: " + e.getMessage());
        }
        throw new BuiltinError(builtin, "unsupported JWK key type " + jwk.getKeyType());
    }

    private static Object ed25519(String builtin, byte[] prefix, byte[] raw, boolean isPrivate) {
        byte[] der = new byte[prefix.length + raw.length];
        System.arraycopy(prefix, 0, der, 0, prefix.length);
        System.arraycopy(raw, 0, der, prefix.length, raw.length);
        try {
            KeyFactory keys = KeyFactory.getInstance("Ed25519");
            return isPrivate ? keys.generatePrivate(new PKCS8EncodedKeySpec(der))
                    : keys.generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new BuiltinError(builtin, "invalid Ed25519 key: " + e.getMessage());
        }
    }

    private static byte[] pemBody(String builtin, String base64) {
        try {
            return Base64.getMimeDecoder().decode(base64.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new BuiltinError(builtin, "failed to parse a PEM block: " + e.getMessage());
        }
    }

    private static PublicKey certificateKey(String builtin, byte[] der) {
        try {
            return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der))
                    .getPublicKey();
        } catch (GeneralSecurityException e) {
            throw new BuiltinError(builtin, "failed to parse a PEM certificate: " + e.getMessage());
        }
    }

    /** A SubjectPublicKeyInfo of any algorithm the JDK knows that OPA's JWTs use. */
    static PublicKey publicKey(String builtin, byte[] der) {
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm's key; try the next
            }
        }
        throw new BuiltinError(builtin, "failed to parse a PEM public key");
    }
}
