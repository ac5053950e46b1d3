package dev.redline.pdp.server.identity;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How bearer JWTs on the decision port are verified.
 *
 * @param jwksFile the JSON Web Key Set whose keys may sign tokens
 * @param issuer the {@code iss} tokens must carry, when set
 * @param audience an {@code aud} tokens must include, when set
 */
public record JwtSettings(Path jwksFile, Optional<String> issuer, Optional<String> audience) {
    public JwtSettings {
        Objects.requireNonNull(jwksFile, "jwksFile");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
    }
}
