package dev.redline.pdp.server.config;

import dev.redline.pdp.server.bundle.VerificationKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** How the policy-source keys read what they point at, and the poll delays when none are set. */
final class PolicySources {
    static final Duration DEFAULT_POLL_MIN = Duration.ofSeconds(10);
    static final Duration DEFAULT_POLL_MAX = Duration.ofSeconds(30);

    private PolicySources() {}

    /** A {@code verification-keys} entry, {@code ID:ALGORITHM:FILE}, with its key file read. */
    static VerificationKey parseKey(String spec) {
        String[] parts = spec.split(":", 3);
        if (parts.length != 3 || parts[0].isBlank()) {
            throw new IllegalArgumentException("verification key \"" + spec + "\" must be ID:ALGORITHM:FILE, e.g. ci:RS256:ci.pub.pem");
        }
        Path file = Path.of(parts[2]);
        try {
            // Raw bytes: an HMAC secret may be any bytes, as opa build --signing-key takes it.
            return VerificationKey.of(parts[0], parts[1], Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read verification key file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The bearer token in {@code bundle-url-token-file}, without surrounding whitespace. */
    static String readToken(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
