package dev.redline.pdp.server.config;

import dev.redline.pdp.server.identity.JwtSettings;
import dev.redline.pdp.server.tls.TlsSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the ports are protected on the wire.
 *
 * @param tls TLS of the decision port; empty for plaintext
 * @param adminTls TLS of the admin port when it has its own; empty to inherit {@code tls}
 * @param allowPlaintextAdmin lets the admin port, with its tokens, run in plaintext on an address
 *     beyond loopback (refused at start otherwise)
 * @param tlsReloadInterval how often the TLS files are checked for changes
 * @param jwt how bearer JWTs on the decision port are verified; empty to ignore them
 */
public record SecuritySettings(
        Optional<TlsSettings> tls,
        Optional<TlsSettings> adminTls,
        boolean allowPlaintextAdmin,
        Duration tlsReloadInterval,
        Optional<JwtSettings> jwt) {

    public static final Duration DEFAULT_TLS_RELOAD_INTERVAL = Duration.ofSeconds(10);

    public SecuritySettings {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(adminTls, "adminTls");
        if (tlsReloadInterval.isNegative() || tlsReloadInterval.isZero()) {
            throw new IllegalArgumentException("tls-reload-interval must be positive, got " + tlsReloadInterval);
        }
    }

    public static SecuritySettings defaults() {
        return new SecuritySettings(Optional.empty(), Optional.empty(), false, DEFAULT_TLS_RELOAD_INTERVAL, Optional.empty());
    }

    /** The admin port's TLS in effect: its own, else the decision port's. */
    public Optional<TlsSettings> effectiveAdminTls() {
        return adminTls.or(() -> tls);
    }

    public SecuritySettings withTls(TlsSettings tls) {
        return new SecuritySettings(Optional.of(tls), adminTls, allowPlaintextAdmin, tlsReloadInterval, jwt);
    }

    public SecuritySettings withAdminTls(TlsSettings adminTls) {
        return new SecuritySettings(tls, Optional.of(adminTls), allowPlaintextAdmin, tlsReloadInterval, jwt);
    }

    public SecuritySettings withAllowPlaintextAdmin(boolean allowPlaintextAdmin) {
        return new SecuritySettings(tls, adminTls, allowPlaintextAdmin, tlsReloadInterval, jwt);
    }

    public SecuritySettings withJwt(JwtSettings jwt) {
        return new SecuritySettings(tls, adminTls, allowPlaintextAdmin, tlsReloadInterval, Optional.of(jwt));
    }

    public SecuritySettings withTlsReloadInterval(Duration tlsReloadInterval) {
        return new SecuritySettings(tls, adminTls, allowPlaintextAdmin, tlsReloadInterval, jwt);
    }
}
