package dev.redline.pdp.server.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.redline.pdp.server.tls.TestCertificates;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which name of a client certificate is the caller's principal. */
class CertificatePrincipalTest {
    private final TestCertificates.Authority ca = TestCertificates.authority("client CA");

    @Test
    void theUriSanIsThePrincipalBeforeAnyDnsSan() {
        assertEquals("spiffe://example.org/ns/ai/sa/gateway", CertificatePrincipal.of(ca.issue("CN=gateway",
                Duration.ofDays(1), "dns:gateway.internal", "uri:spiffe://example.org/ns/ai/sa/gateway").certificate()));
    }

    @Test
    void withoutAUriSanTheDnsSanIsThePrincipal() {
        assertEquals("gateway.internal", CertificatePrincipal.of(ca.issue("CN=gateway", Duration.ofDays(1),
                "dns:gateway.internal", "ip:127.0.0.1").certificate()));
    }

    @Test
    void withoutSansTheSubjectDnIsThePrincipalInRfc2253Form() {
        // BouncyCastle encodes the RDNs in the order written; RFC 2253 prints the last one first.
        assertEquals("O=Example,CN=gateway", CertificatePrincipal.of(ca.issue("CN=gateway,O=Example",
                Duration.ofDays(1)).certificate()));
    }
}
