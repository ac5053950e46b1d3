package dev.redline.pdp.server.harness;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import dev.redline.pdp.server.bundle.VerificationKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Keys made in the test: the files {@code opa build --signing-key} signs with (a PKCS#8 PEM
 * private key, or the HMAC secret itself), the PEM public key file an operator configures
 * ({@code --verification-key ID:ALG:FILE}), and the PDP's {@link VerificationKey} for them.
 */
public final class SigningKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @param signingKey the file given to {@code opa build --signing-key}
     * @param verificationKeyFile the PEM public key file (RS*, ES*) or the secret file (HS*) an
     *     operator configures the PDP with
     * @param publicKey the public key, for RS* and ES*; null for HS*
     * @param algorithm the JWS algorithm, e.g. RS256
     */
    public record SigningKey(Path signingKey, Path verificationKeyFile, PublicKey publicKey, String algorithm) {
        /**
         * The PDP's key for this one. HS* keys are made by {@link VerificationKey#of} from the
         * secret file's bytes, as the PDP's configuration does. RS* and ES* keys are made from the
         * public key object here, not by {@link VerificationKey#of} from the PEM file: that path
         * needs BouncyCastle, which the server does not ship (see the disabled PEM tests in
         * BundleSignatureEndToEndTest).
         */
        public VerificationKey verificationKey(String keyId) {
            try {
                return switch (algorithm) {
                    case "RS256" -> new VerificationKey(keyId, JWSAlgorithm.RS256,
                            new RSASSAVerifier((RSAPublicKey) publicKey));
                    case "ES256" -> new VerificationKey(keyId, JWSAlgorithm.ES256,
                            new ECDSAVerifier((ECPublicKey) publicKey));
                    case "HS256" -> VerificationKey.of(keyId, algorithm, Files.readAllBytes(verificationKeyFile));
                    default -> throw new IllegalArgumentException("no test key for " + algorithm);
                };
            } catch (IOException | JOSEException e) {
                throw new IllegalStateException("cannot make verification key " + keyId, e);
            }
        }
    }

    private SigningKeys() {}

    /** An RSA 2048 key pair for RS256. */
    public static SigningKey rsa(Path dir, String name) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, RANDOM);
        return write(dir, name, generator.generateKeyPair(), "RS256");
    }

    /** An EC P-256 key pair for ES256. */
    public static SigningKey ecP256(Path dir, String name) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return write(dir, name, generator.generateKeyPair(), "ES256");
    }

    /**
     * A 48-byte random secret for HS256, written hex-encoded (96 ASCII bytes, no trailing newline):
     * opa uses the file's content as the HMAC key, and so does the PDP.
     */
    public static SigningKey hmacSecret(Path dir, String name) throws IOException {
        byte[] random = new byte[48];
        RANDOM.nextBytes(random);
        byte[] secret = HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
        Path file = Files.write(Files.createDirectories(dir).resolve(name + ".secret"), secret);
        return new SigningKey(file, file, null, "HS256");
    }

    private static SigningKey write(Path dir, String name, KeyPair pair, String algorithm) throws IOException {
        Files.createDirectories(dir);
        // Java encodes private keys as PKCS#8 and public keys as X.509 SubjectPublicKeyInfo.
        Path privateKey = Files.writeString(dir.resolve(name + ".key.pem"),
                pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        Path publicKey = Files.writeString(dir.resolve(name + ".pub.pem"),
                pem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
        return new SigningKey(privateKey, publicKey, pair.getPublic(), algorithm);
    }

    public static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
