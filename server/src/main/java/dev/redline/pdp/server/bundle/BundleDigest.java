package dev.redline.pdp.server.bundle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A bundle's identity: the SHA-256 of its archive as received, written {@code sha256:<64 hex>}
 * wherever it is shown or stored.
 *
 * @param hex the 64 lowercase hex digits
 */
public record BundleDigest(String hex) {
    private static final String PREFIX = "sha256:";
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public BundleDigest {
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("\"" + hex + "\" is not 64 lowercase hex digits");
        }
    }

    /** The digest of {@code archive}. */
    public static BundleDigest of(byte[] archive) {
        try {
            return new BundleDigest(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    /**
     * Reads the written form.
     *
     * @throws IllegalArgumentException when {@code text} is not {@code sha256:<64 hex digits>}
     */
    public static BundleDigest parse(String text) {
        if (!text.startsWith(PREFIX) || !HEX.matcher(text.substring(PREFIX.length())).matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a bundle digest (sha256:<64 hex digits>)");
        }
        return new BundleDigest(text.substring(PREFIX.length()));
    }

    /** {@code sha256:<hex>}, the form in records, statuses and decisions. */
    @Override
    public String toString() {
        return PREFIX + hex;
    }
}
