package dev.redline.pdp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.server.PdpServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PdpClient.Builder#tls(Path)} against a TLS endpoint on loopback whose certificate is
 * signed by a test CA. The PDP serves plaintext on loopback, so the endpoint terminates TLS and
 * passes each request to the real PDP: the decisions are the real PDP's.
 */
class TlsTest {
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;

    private static PdpServer pdp;
    private static ManagedChannel toPdp;
    private static Server tlsFront;
    private static Path trustedCa;
    private static Path otherCa;

    @BeforeAll
    static void start() throws Exception {
        Path keystore = selfSigned("pdp", dir.resolve("pdp.p12"));
        trustedCa = exportCertificate("pdp", keystore, dir.resolve("pdp-ca.pem"));
        otherCa = exportCertificate("other", selfSigned("other", dir.resolve("other.p12")), dir.resolve("other-ca.pem"));

        pdp = RealPdp.start(Files.createDirectories(dir.resolve("pdp-data")));
        toPdp = ManagedChannelBuilder.forAddress("127.0.0.1", pdp.port()).usePlaintext().build();
        tlsFront = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
                        TlsServerCredentials.newBuilder().keyManager(keyManagers(keystore)).build())
                .addService(new Forwarder(DecisionServiceGrpc.newBlockingStub(toPdp)))
                .build().start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (tlsFront != null) {
            tlsFront.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (toPdp != null) {
            toPdp.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (pdp != null) {
            pdp.close();
        }
    }

    private static PdpClient.Builder clientOf(String host) {
        return PdpClient.builder().target(host + ":" + tlsFront.getPort()).defaultDeadline(Duration.ofSeconds(10));
    }

    @Test
    void aClientTrustingThePdpsCaDecidesOverTls() {
        try (PdpClient client = clientOf("localhost").tls(trustedCa).build()) {
            Decision decision = client.decide(SpecExamples.autonomousTargeting());

            assertEquals(List.of("AUTONOMOUS_WEAPONS", "MACHINE_TARGET_SELECTION"), decision.violationCodes());
            assertFalse(decision.isFailClosed());
        }
    }

    @Test
    void anIpTargetIsVerifiedAgainstTheCertificatesIpAddress() {
        try (PdpClient client = clientOf("127.0.0.1").tls(trustedCa).build()) {
            assertTrue(client.decide(SpecExamples.logistics()).allowed());
        }
    }

    @Test
    void aClientTrustingAnotherCaDeniesWithPdpUnavailable() {
        try (PdpClient client = clientOf("localhost").tls(otherCa).build()) {
            Decision decision = client.decide(SpecExamples.logistics());

            assertFalse(decision.allowed());
            assertEquals(List.of("PDP_UNAVAILABLE"), decision.violationCodes());
        }
    }

    @Test
    void aPlaintextClientOfATlsPdpDeniesWithPdpUnavailable() {
        try (PdpClient client = clientOf("localhost").plaintext().build()) {
            Decision decision = client.decide(SpecExamples.logistics());

            assertFalse(decision.allowed());
            assertEquals(List.of("PDP_UNAVAILABLE"), decision.violationCodes());
        }
    }

    @Test
    void aMissingCaFileIsRefusedWhenBuilding() {
        Path missing = dir.resolve("no-such-ca.pem");

        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> PdpClient.builder().target("localhost:9191").tls(missing));

        assertEquals("cannot read the CA certificates in " + missing, e.getMessage());
    }

    /** Passes each Decide call to the real PDP and its answer (or status) back. */
    private static final class Forwarder extends DecisionServiceGrpc.DecisionServiceImplBase {
        private final DecisionServiceGrpc.DecisionServiceBlockingStub pdp;

        Forwarder(DecisionServiceGrpc.DecisionServiceBlockingStub pdp) {
            this.pdp = pdp;
        }

        @Override
        public void decide(DecideRequest request, StreamObserver<DecideResponse> responses) {
            try {
                responses.onNext(pdp.decide(request));
                responses.onCompleted();
            } catch (StatusRuntimeException e) {
                responses.onError(e);
            }
        }
    }

    // ---- a test CA, made with the JDK's keytool: a self-signed certificate for localhost and 127.0.0.1

    private static Path selfSigned(String alias, Path keystore) throws Exception {
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD);
        return keystore;
    }

    private static Path exportCertificate(String alias, Path keystore, Path pem) throws Exception {
        keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", pem.toString());
        return pem;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }

    private static javax.net.ssl.KeyManager[] keyManagers(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, PASSWORD.toCharArray());
        return factory.getKeyManagers();
    }
}
