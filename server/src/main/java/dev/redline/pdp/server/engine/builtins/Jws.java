package dev.redline.pdp.server.engine.builtins;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * JWS signatures by algorithm name with the JDK's providers: the algorithms OPA's {@code io.jwt.*}
 * know, signed and verified as RFC 7518 defines them (ECDSA signatures as r‖s).
 */
final class Jws {
    static final Set<String> ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512", "HS256", "HS384", "HS512", "EdDSA");

    private Jws() {}

    /** Whether {@code signature} is {@code alg}'s signature of {@code input} under {@code key}; false for a key of another kind. */
    static boolean verify(Object key, String alg, byte[] input, byte[] signature) {
        try {
            if (alg.startsWith("HS")) {
                return key instanceof byte[] secret && MessageDigest.isEqual(hmac(alg, secret, input), signature);
            }
            if (!(key instanceof PublicKey publicKey) || !ALGORITHMS.contains(alg)) {
                return false;
            }
            Signature verifier = signature(alg);
            verifier.initVerify(publicKey);
            verifier.update(input);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // a key of the wrong kind or a malformed signature verifies nothing
        }
    }

    /** {@code alg}'s signature of {@code input} under a private key or a secret. */
    static byte[] sign(String builtin, Object key, String alg, byte[] input) {
        try {
            if (alg.startsWith("HS")) {
                if (!(key instanceof byte[] secret)) {
                    throw new BuiltinError(builtin, alg + " needs a symmetric (oct) key");
                }
                return hmac(alg, secret, input);
            }
            if (!(key instanceof PrivateKey privateKey)) {
                throw new BuiltinError(builtin, alg + " needs a private key");
            }
            Signature signer = signature(alg);
            signer.initSign(privateKey);
            signer.update(input);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new BuiltinError(builtin, "failed to sign with " + alg + ": " + e.getMessage());
        }
    }

    static byte[] hmac(String alg, byte[] secret, byte[] input) throws GeneralSecurityException {
        String name = "HmacSHA" + alg.substring(2);
        Mac mac = Mac.getInstance(name);
        mac.init(secret.length == 0 ? new CryptoBuiltins.EmptyKey(name) : new SecretKeySpec(secret, name));
        return mac.doFinal(input);
    }

    private static Signature signature(String alg) throws GeneralSecurityException {
        String bits = alg.substring(2);
        return switch (alg.substring(0, 2)) {
            case "RS" -> Signature.getInstance("SHA" + bits + "withRSA");
            case "ES" -> Signature.getInstance("SHA" + bits + "withECDSAinP1363Format");
            case "PS" -> {
                Signature pss = Signature.getInstance("RSASSA-PSS");
                String digest = "SHA-" + bits;
                pss.setParameter(new PSSParameterSpec(digest, "MGF1", new MGF1ParameterSpec(digest),
                        Integer.parseInt(bits) / 8, 1));
                yield pss;
            }
            case "Ed" -> Signature.getInstance("Ed25519");
            default -> throw new GeneralSecurityException("unknown JWS algorithm " + alg);
        };
    }
}
