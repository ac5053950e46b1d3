package dev.redline.pdp.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When admin tokens may travel to the admin port in plaintext. */
class AdminExposureTest {
    @Test
    void plaintextOnLoopbackIsAllowed() {
        assertEquals(Optional.empty(), AdminExposure.refusal("127.0.0.1", 9192, false, false));
        assertEquals(Optional.empty(), AdminExposure.refusal("::1", 9192, false, false));
        assertEquals(Optional.empty(), AdminExposure.refusal("localhost", 9192, false, false));
    }

    @Test
    void plaintextBeyondLoopbackIsRefusedNamingTheAddressAndTheFixes() {
        String refusal = AdminExposure.refusal("0.0.0.0", 9192, false, false).orElseThrow();

        assertTrue(refusal.contains("listens on 0.0.0.0:9192 without TLS"), refusal);
        assertTrue(refusal.contains("--admin-tls-cert") && refusal.contains("--allow-plaintext-admin"), refusal);
    }

    @Test
    void tlsBeyondLoopbackIsAllowed() {
        assertEquals(Optional.empty(), AdminExposure.refusal("0.0.0.0", 9192, true, false));
    }

    @Test
    void theExplicitFlagAllowsPlaintextBeyondLoopback() {
        assertEquals(Optional.empty(), AdminExposure.refusal("0.0.0.0", 9192, false, true));
    }
}
