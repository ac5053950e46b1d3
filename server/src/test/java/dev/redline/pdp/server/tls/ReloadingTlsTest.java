package dev.redline.pdp.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a port serves after its TLS files change on disk: the new material if usable, else the old. */
class ReloadingTlsTest {
    @TempDir
    Path dir;

    private final TestCertificates.Authority ca = TestCertificates.authority("test CA");
    private final List<String> events = new ArrayList<>();
    private final TlsReloadEvents recorder = new TlsReloadEvents() {
        @Override
        public void reloaded(String port) {
            events.add("reloaded " + port);
        }

        @Override
        public void reloadFailed(String port, String reason) {
            events.add("failed " + port + ": " + reason);
        }
    };
    private TestCertificates.Issued first;
    private SecretVolume volume;
    private ReloadingTls tls;

    @BeforeEach
    void serveTheFirstCertificate() throws Exception {
        first = ca.server("pdp-1");
        volume = SecretVolume.create(dir.resolve("secret"), first);
        tls = ReloadingTls.open("decision", TlsSettings.serverOnly(volume.cert(), volume.key()), recorder,
                Clock.systemUTC());
    }

    @Test
    void unchangedFilesAreNotReloaded() {
        tls.reloadIfChanged();

        assertEquals(first.certificate(), tls.servedCertificate());
        assertEquals(List.of(), events);
    }

    @Test
    void aSecretUpdateIsServedAfterTheNextCheck() throws Exception {
        TestCertificates.Issued second = ca.server("pdp-2");
        volume.update(second);

        tls.reloadIfChanged();

        assertEquals(second.certificate(), tls.servedCertificate());
        assertEquals(List.of("reloaded decision"), events);
    }

    @Test
    void aRenewedCertificateForTheSameKeyIsServedThoughTheKeyFileIsUnchanged() throws Exception {
        Path cert = first.writeCertificate(dir.resolve("tls.crt"));
        Path key = first.writeKey(dir.resolve("tls.key"));
        ReloadingTls plainFiles = ReloadingTls.open("admin", TlsSettings.serverOnly(cert, key), recorder,
                Clock.systemUTC());
        TestCertificates.Issued renewed = ca.renew(first, "dns:localhost");
        renewed.writeCertificate(cert);

        plainFiles.reloadIfChanged();

        assertEquals(renewed.certificate(), plainFiles.servedCertificate());
    }

    @Test
    void aCorruptRotatedCertificateKeepsTheOldOneAndIsReportedOnce() throws Exception {
        volume.updateRaw("-----BEGIN CERTIFICATE-----\nMIIB\n", Files.readString(volume.key()));

        tls.reloadIfChanged();
        tls.reloadIfChanged();

        assertEquals(first.certificate(), tls.servedCertificate());
        assertEquals(1, events.size(), events.toString());
        assertTrue(events.get(0).startsWith("failed decision: " + volume.cert()), events.get(0));
    }

    @Test
    void aKeyThatBelongsToAnotherCertificateKeepsTheOldPair() throws Exception {
        TestCertificates.Issued other = ca.server("pdp-other");
        Path next = dir.resolve("mismatch");
        Files.createDirectories(next);
        volume.updateRaw(Files.readString(ca.server("pdp-2").writeCertificate(next.resolve("c"))),
                Files.readString(other.writeKey(next.resolve("k"))));

        tls.reloadIfChanged();

        assertEquals(first.certificate(), tls.servedCertificate());
        assertEquals(List.of("failed decision: " + volume.key() + ": this private key does not belong to the"
                + " certificate CN=pdp-2 in " + volume.cert()), events);
    }

    @Test
    void anExpiredRotatedCertificateKeepsTheOldOne() throws Exception {
        Instant lastWeek = Instant.now().minus(Duration.ofDays(7));
        volume.update(ca.issue("CN=pdp-expired", lastWeek, lastWeek.plus(Duration.ofDays(1)), "dns:localhost"));

        tls.reloadIfChanged();

        assertEquals(first.certificate(), tls.servedCertificate());
        assertTrue(events.get(0).contains("is not valid now"), events.toString());
    }

    @Test
    void afterARefusedRotationAFixedOneIsServed() throws Exception {
        volume.updateRaw("not a certificate", "not a key");
        tls.reloadIfChanged();
        TestCertificates.Issued fixed = ca.server("pdp-fixed");
        volume.update(fixed);

        tls.reloadIfChanged();

        assertEquals(fixed.certificate(), tls.servedCertificate());
        assertEquals("reloaded decision", events.get(events.size() - 1));
    }

    @Test
    void aMissingFileAtStartIsRefusedNamingIt() {
        Path missing = dir.resolve("absent.crt");

        TlsMaterialException e = assertThrows(TlsMaterialException.class, () -> ReloadingTls.open("decision",
                TlsSettings.serverOnly(missing, volume.key()), recorder, Clock.systemUTC()));

        assertEquals(missing, e.file());
    }

    @Test
    void clientAuthWithoutAClientCaIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TlsSettings(
                volume.cert(), volume.key(), java.util.Optional.empty(), ClientAuth.REQUIRE));

        assertEquals("client auth require needs the CA that client certificates chain to: set tls-client-ca",
                e.getMessage());
    }
}
