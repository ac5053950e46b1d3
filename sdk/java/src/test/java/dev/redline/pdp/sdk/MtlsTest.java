package dev.redline.pdp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.server.PdpServer;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.tls.TestCertificates;
import dev.redline.pdp.server.tls.TlsSettings;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PdpClient.Builder#mtls} against a real PDP that requires client certificates. */
class MtlsTest {
    @TempDir
    static Path dir;

    private static PdpServer pdp;
    private static Path serverCa;
    private static TestCertificates.PemFiles client;
    private static TestCertificates.PemFiles stranger;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates.Authority serverAuthority = TestCertificates.authority("server CA");
        TestCertificates.Authority clientAuthority = TestCertificates.authority("client CA");
        TestCertificates.PemFiles server = serverAuthority.server("pdp").write(dir, "server");
        serverCa = serverAuthority.writeCertificate(dir.resolve("server-ca.crt"));
        client = clientAuthority.issue("CN=gateway", Duration.ofDays(1), "uri:spiffe://example.org/gateway")
                .write(dir, "client");
        stranger = TestCertificates.authority("another CA").issue("CN=gateway", Duration.ofDays(1))
                .write(dir, "stranger");
        PdpConfig config = PdpConfig.defaults().withWarmupTimeout(java.time.Duration.ZERO).withPort(0).withAdminPort(0)
                .withDataDir(Files.createDirectories(dir.resolve("pdp-data")));
        pdp = PdpServer.builder(config.withSecurity(config.security().withTls(TlsSettings.mutual(server.cert(),
                server.key(), clientAuthority.writeCertificate(dir.resolve("client-ca.crt")))))).start();
    }

    @AfterAll
    static void stop() {
        if (pdp != null) {
            pdp.close();
        }
    }

    private static PdpClient.Builder client() {
        return PdpClient.builder().target("localhost:" + pdp.port()).defaultDeadline(Duration.ofSeconds(10));
    }

    @Test
    void aClientPresentingItsCertificateDecides() {
        try (PdpClient pdpClient = client().mtls(serverCa, client.cert(), client.key()).build()) {
            Decision decision = pdpClient.decide(SpecExamples.autonomousTargeting());

            assertEquals(List.of("AUTONOMOUS_WEAPONS", "MACHINE_TARGET_SELECTION"), decision.violationCodes());
            assertFalse(decision.isFailClosed());
        }
    }

    @Test
    void aClientWithoutACertificateDeniesWithPdpUnavailable() {
        try (PdpClient pdpClient = client().tls(serverCa).build()) {
            Decision decision = pdpClient.decide(SpecExamples.logistics());

            assertEquals(List.of("PDP_UNAVAILABLE"), decision.violationCodes());
        }
    }

    @Test
    void aClientWithACertificateFromAnotherCaDeniesWithPdpUnavailable() {
        try (PdpClient pdpClient = client().mtls(serverCa, stranger.cert(), stranger.key()).build()) {
            Decision decision = pdpClient.decide(SpecExamples.logistics());

            assertEquals(List.of("PDP_UNAVAILABLE"), decision.violationCodes());
        }
    }

    @Test
    void aServerNameOverrideLetsAnIpTargetCheckAnotherName() {
        try (PdpClient pdpClient = PdpClient.builder().target("127.0.0.1:" + pdp.port())
                .mtls(serverCa, client.cert(), client.key()).tlsServerName("localhost")
                .defaultDeadline(Duration.ofSeconds(10)).build()) {
            Decision decision = pdpClient.decide(SpecExamples.logistics());

            assertTrue(decision.allowed(), decision.toString());
        }
    }

    @Test
    void aMissingClientKeyIsRefusedWhenBuilding() {
        Path missing = dir.resolve("no-such.key");

        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> client().mtls(serverCa, client.cert(), missing));

        assertEquals("cannot read the client certificate " + client.cert() + " and key " + missing, e.getMessage());
    }
}
