package dev.redline.pdp.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.redline.pdp.server.tls.ClientAuth;
import dev.redline.pdp.server.tls.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The tls-*, admin-tls-* and related keys, as a config file or the serve flags give them. */
class TlsConfigTest {
    private static SecuritySettings security(Map<String, ?> keys) throws Exception {
        return ConfigFile.fromKeys(keys, "test").applyTo(PdpConfig.defaults()).security();
    }

    @Test
    void noTlsKeysLeaveBothPortsPlaintext() throws Exception {
        SecuritySettings security = security(Map.of("port", 9300));

        assertEquals(Optional.empty(), security.tls());
        assertEquals(Optional.empty(), security.effectiveAdminTls());
    }

    @Test
    void aCertificateAndKeyServeTlsOnBothPortsWithoutClientCertificates() throws Exception {
        SecuritySettings security = security(Map.of("tls-cert", "/tls/tls.crt", "tls-key", "/tls/tls.key"));

        TlsSettings expected = TlsSettings.serverOnly(Path.of("/tls/tls.crt"), Path.of("/tls/tls.key"));
        assertEquals(Optional.of(expected), security.tls());
        assertEquals(Optional.of(expected), security.effectiveAdminTls());
    }

    @Test
    void aClientCaWithoutAClientAuthRequiresClientCertificates() throws Exception {
        SecuritySettings security = security(Map.of("tls-cert", "/c", "tls-key", "/k", "tls-client-ca", "/ca"));

        assertEquals(ClientAuth.REQUIRE, security.tls().orElseThrow().clientAuth());
    }

    @Test
    void tlsClientAuthOptionalIsApplied() throws Exception {
        SecuritySettings security = security(Map.of("tls-cert", "/c", "tls-key", "/k", "tls-client-ca", "/ca",
                "tls-client-auth", "optional"));

        assertEquals(ClientAuth.OPTIONAL, security.tls().orElseThrow().clientAuth());
    }

    @Test
    void anAdminKeyOverridesOnlyItsFieldAndTheRestIsInherited() throws Exception {
        SecuritySettings security = security(Map.of("tls-cert", "/c", "tls-key", "/k", "tls-client-ca", "/ca",
                "admin-tls-client-auth", "none"));

        assertEquals(ClientAuth.REQUIRE, security.tls().orElseThrow().clientAuth());
        assertEquals(new TlsSettings(Path.of("/c"), Path.of("/k"), Optional.of(Path.of("/ca")), ClientAuth.NONE),
                security.effectiveAdminTls().orElseThrow());
    }

    @Test
    void theAdminPortCanServeTlsAloneWithItsOwnFiles() throws Exception {
        SecuritySettings security = security(Map.of("admin-tls-cert", "/a.crt", "admin-tls-key", "/a.key"));

        assertEquals(Optional.empty(), security.tls());
        assertEquals(Optional.of(TlsSettings.serverOnly(Path.of("/a.crt"), Path.of("/a.key"))),
                security.effectiveAdminTls());
    }

    @Test
    void aCertificateWithoutAKeyIsRefusedNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> security(Map.of("tls-cert", "/c")));

        assertEquals("tls-cert and tls-key go together: set both to serve TLS", e.getMessage());
    }

    @Test
    void requiringClientCertificatesWithoutAClientCaIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> security(Map.of("tls-cert", "/c", "tls-key", "/k", "tls-client-auth", "require")));

        assertEquals("tls-client-auth require needs the CA that client certificates chain to: set tls-client-ca",
                e.getMessage());
    }

    @Test
    void anUnknownClientAuthIsRefusedNamingTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> security(Map.of("tls-cert", "/c", "tls-key", "/k", "tls-client-auth", "always")));

        assertEquals("tls-client-auth must be none, optional or require, got \"always\"", e.getMessage());
    }

    @Test
    void allowPlaintextAdminAndTheReloadIntervalAreApplied() throws Exception {
        SecuritySettings security = security(Map.of("allow-plaintext-admin", true, "tls-reload-interval", "2s"));

        assertEquals(true, security.allowPlaintextAdmin());
        assertEquals(Duration.ofSeconds(2), security.tlsReloadInterval());
    }
}
