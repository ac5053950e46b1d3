package dev.redline.pdp.server.audit.chain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret that seals segment digests with HMAC-SHA256. Whoever can rewrite the log but not read
 * this key cannot forge a sealed segment, so it belongs somewhere the log's writers cannot read
 * (a secrets mount), not next to the log — the default next to the log is a convenience.
 *
 * <p>File format: the key as hex on one line (at least 16 bytes; generated keys have 32).
 */
public final class AuditKey {
    private static final int GENERATED_BYTES = 32;
    private static final int MIN_BYTES = 16;

    private final byte[] secret;
    private final String id;
    private final Path file;
    private final boolean generated;

    private AuditKey(byte[] secret, Path file, boolean generated) {
        this.secret = secret.clone();
        this.id = Sha256.hex(secret, 0, secret.length).substring(0, 16);
        this.file = file;
        this.generated = generated;
    }

    /** Reads the key in {@code file}. */
    public static AuditKey read(Path file) throws AuditLogException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            throw new AuditLogException("audit key file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new AuditLogException("audit key file " + file + " cannot be read: " + e.getMessage(), e);
        }
        byte[] secret;
        try {
            secret = Sha256.HEX.parseHex(text);
        } catch (IllegalArgumentException e) {
            throw new AuditLogException("audit key file " + file + " does not hold a hex key", e);
        }
        if (secret.length < MIN_BYTES) {
            throw new AuditLogException("the key in audit key file " + file + " is " + secret.length
                    + " bytes; at least " + MIN_BYTES + " are needed", null);
        }
        return new AuditKey(secret, file, false);
    }

    /**
     * Reads the key in {@code file}, or, when it does not exist and {@code mayGenerate}, makes a new
     * random key there (owner read/write only).
     */
    static AuditKey readOrGenerate(Path file, boolean mayGenerate) throws AuditLogException {
        if (Files.exists(file) || !mayGenerate) {
            return read(file);
        }
        byte[] secret = new byte[GENERATED_BYTES];
        new SecureRandom().nextBytes(secret);
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            if (parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, Sha256.HEX.formatHex(secret) + "\n", StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException e) {
            return read(file); // another process made it first
        } catch (IOException e) {
            throw new AuditLogException("cannot create audit key file " + file + ": " + e.getMessage(), e);
        }
        return new AuditKey(secret, file, true);
    }

    /** A short public name of the key (first 16 hex of its SHA-256), written into digests. */
    public String id() {
        return id;
    }

    public Path file() {
        return file;
    }

    /** True when this process generated the key because none existed. */
    public boolean generated() {
        return generated;
    }

    String hmacHex(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Sha256.HEX.formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime provides HmacSHA256", e);
        }
    }
}
