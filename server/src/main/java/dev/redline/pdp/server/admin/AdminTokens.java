package dev.redline.pdp.server.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The admin API's bearer tokens, from a file of lines {@code NAME ROLE TOKEN} (ROLE is
 * {@code admin} or {@code reader}; {@code #} starts a comment).
 *
 * <p>When no file exists yet, one is created with a random admin token, readable by the owner
 * only, so a fresh PDP never has an open admin port.
 */
public final class AdminTokens {
    private record Entry(AdminPrincipal principal, String token, byte[] tokenBytes) {}

    private final List<Entry> entries;

    private AdminTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Reads the token file, creating it with one random admin token if it does not exist. */
    public static AdminTokens loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, "# NAME ROLE TOKEN (ROLE: admin or reader)\nadmin admin "
                    + HexFormat.of().formatHex(secret) + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the file keeps the directory's default permissions.
            }
        }
        return read(file);
    }

    /**
     * Reads an existing token file; the server and the CLI read it the same way.
     *
     * @throws IllegalArgumentException when a line is not {@code NAME ROLE TOKEN} or no token is there
     */
    public static AdminTokens read(Path file) throws IOException {
        return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static AdminTokens parse(Path file, List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 3 || !(parts[1].equals("admin") || parts[1].equals("reader")) || parts[2].length() < 16) {
                throw new IllegalArgumentException(file + " line " + (i + 1)
                        + ": expected NAME ROLE TOKEN with ROLE admin or reader and a token of 16+ characters");
            }
            entries.add(new Entry(new AdminPrincipal(parts[0], parts[1].equals("admin")), parts[2],
                    parts[2].getBytes(StandardCharsets.UTF_8)));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no admin token");
        }
        return new AdminTokens(entries);
    }

    /** The token on the file's first token line: the one a client on the same host presents. */
    public String firstToken() {
        return entries.get(0).token();
    }

    /** The principal a token belongs to; compared in constant time. */
    Optional<AdminPrincipal> authenticate(String token) {
        byte[] presented = token.getBytes(StandardCharsets.UTF_8);
        AdminPrincipal found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.tokenBytes(), presented)) {
                found = entry.principal();
            }
        }
        return Optional.ofNullable(found);
    }
}
