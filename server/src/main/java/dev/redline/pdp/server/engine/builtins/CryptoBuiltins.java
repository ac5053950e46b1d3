package dev.redline.pdp.server.engine.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Digests and HMACs of strings, hex-encoded, with the JDK's providers (topdown/crypto.go). */
final class CryptoBuiltins {
    private CryptoBuiltins() {}

    static void addTo(Map<String, HostFunction.Body> builtins) {
        digest(builtins, "crypto.md5", "MD5");
        digest(builtins, "crypto.sha1", "SHA-1");
        digest(builtins, "crypto.sha256", "SHA-256");
        hmac(builtins, "crypto.hmac.md5", "HmacMD5");
        hmac(builtins, "crypto.hmac.sha1", "HmacSHA1");
        hmac(builtins, "crypto.hmac.sha256", "HmacSHA256");
        hmac(builtins, "crypto.hmac.sha512", "HmacSHA512");
        builtins.put("crypto.hmac.equal", ops -> Operands.bool(MessageDigest.isEqual(
                bytes(Operands.string("crypto.hmac.equal", ops, 0)), bytes(Operands.string("crypto.hmac.equal", ops, 1)))));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void digest(Map<String, HostFunction.Body> builtins, String name, String algorithm) {
        builtins.put(name, ops -> {
            try {
                return Operands.text(HexFormat.of().formatHex(
                        MessageDigest.getInstance(algorithm).digest(bytes(Operands.string(name, ops, 0)))));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(algorithm + " is missing from the JDK", e);
            }
        });
    }

    private static void hmac(Map<String, HostFunction.Body> builtins, String name, String algorithm) {
        builtins.put(name, ops -> {
            byte[] message = bytes(Operands.string(name, ops, 0));
            byte[] key = bytes(Operands.string(name, ops, 1));
            try {
                Mac mac = Mac.getInstance(algorithm);
                // an empty key is valid for HMAC, though SecretKeySpec refuses one
                mac.init(key.length == 0 ? new EmptyKey(algorithm) : new SecretKeySpec(key, algorithm));
                return Operands.text(HexFormat.of().formatHex(mac.doFinal(message)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(algorithm + " is missing from the JDK", e);
            }
        });
    }

    /** A zero-length HMAC key. */
    private record EmptyKey(String getAlgorithm) implements javax.crypto.SecretKey {
        @Override
        public String getFormat() {
            return "RAW";
        }

        @Override
        public byte[] getEncoded() {
            return new byte[0];
        }
    }
}
