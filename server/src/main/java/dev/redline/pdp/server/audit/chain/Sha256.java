package dev.redline.pdp.server.audit.chain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 in lowercase hex, the form every hash in the log takes. */
final class Sha256 {
    static final HexFormat HEX = HexFormat.of();
    /** The "previous hash" of the first record ever written. */
    static final String GENESIS = "0".repeat(64);

    private Sha256() {}

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    static String hex(byte[] bytes, int offset, int length) {
        MessageDigest digest = newDigest();
        digest.update(bytes, offset, length);
        return HEX.formatHex(digest.digest());
    }

    static boolean isHash(String text) {
        if (text == null || text.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
