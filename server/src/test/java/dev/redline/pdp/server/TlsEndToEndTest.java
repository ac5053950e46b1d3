package dev.redline.pdp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.api.v1.GetStatusRequest;
import dev.redline.pdp.api.v1.PolicyAdminServiceGrpc;
import dev.redline.pdp.server.harness.AdminCalls;
import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.RunningPdp;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.tls.ClientAuth;
import dev.redline.pdp.server.tls.TestCertificates;
import dev.redline.pdp.server.tls.TlsClients;
import dev.redline.pdp.server.tls.TlsSettings;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PDP serving TLS and mTLS on loopback, with certificates made for the test. */
class TlsEndToEndTest {
    @TempDir
    Path dir;

    private final TestCertificates.Authority serverCa = TestCertificates.authority("server CA");
    private final TestCertificates.Authority clientCa = TestCertificates.authority("client CA");
    private TestCertificates.PemFiles serverFiles;
    private Path serverCaFile;
    private Path clientCaFile;
    private TestCertificates.Issued client;
    private RunningPdp pdp;
    private ManagedChannel channel;

    @BeforeEach
    void writeCertificates() throws Exception {
        serverFiles = serverCa.server("pdp").write(dir, "server");
        serverCaFile = serverCa.writeCertificate(dir.resolve("server-ca.crt"));
        clientCaFile = clientCa.writeCertificate(dir.resolve("client-ca.crt"));
        client = clientCa.issue("CN=model-gateway", java.time.Duration.ofDays(1), "uri:spiffe://example.org/gateway");
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (pdp != null) {
            pdp.close();
        }
    }

    private void start(ClientAuth clientAuth) throws Exception {
        TlsSettings tls = new TlsSettings(serverFiles.cert(), serverFiles.key(),
                clientAuth == ClientAuth.NONE ? Optional.empty() : Optional.of(clientCaFile), clientAuth);
        PdpConfig config = PdpConfig.defaults();
        pdp = RunningPdp.start(config.withSecurity(config.security().withTls(tls)));
    }

    private DecisionServiceGrpc.DecisionServiceBlockingStub decisions(Optional<TestCertificates.Issued> holding)
            throws Exception {
        Optional<TestCertificates.PemFiles> files = Optional.empty();
        if (holding.isPresent()) {
            files = Optional.of(holding.get().write(dir, "client-" + holding.get().certificate().getSerialNumber()));
        }
        channel = TlsClients.channel(pdp.server.port(), serverCaFile, files);
        return DecisionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static DecideRequest logistics() {
        return DecideRequest.newBuilder().setInput(ContractCase.named("allowed-logistics").input()).build();
    }

    @Test
    void aClientTrustingTheServerCaDecidesOverTls() throws Exception {
        start(ClientAuth.NONE);

        assertTrue(decisions(Optional.empty()).decide(logistics()).getAllow());
    }

    @Test
    void mtlsRequiredAnswersAClientHoldingACertificateFromTheClientCa() throws Exception {
        start(ClientAuth.REQUIRE);

        assertTrue(decisions(Optional.of(client)).decide(logistics()).getAllow());
    }

    @Test
    void mtlsRequiredRefusesAClientWithoutACertificate() throws Exception {
        start(ClientAuth.REQUIRE);
        DecisionServiceGrpc.DecisionServiceBlockingStub stub = decisions(Optional.empty());

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.decide(logistics()));

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    }

    @Test
    void mtlsRefusesAClientWithACertificateFromAnotherCa() throws Exception {
        start(ClientAuth.REQUIRE);
        TestCertificates.Issued stranger = TestCertificates.authority("another CA").issue("CN=model-gateway",
                java.time.Duration.ofDays(1), "uri:spiffe://example.org/gateway");
        DecisionServiceGrpc.DecisionServiceBlockingStub stub = decisions(Optional.of(stranger));

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.decide(logistics()));

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    }

    @Test
    void optionalClientAuthAnswersAClientWithoutACertificate() throws Exception {
        start(ClientAuth.OPTIONAL);

        assertTrue(decisions(Optional.empty()).decide(logistics()).getAllow());
    }

    @Test
    void aPlaintextClientOfATlsPortIsRefused() throws Exception {
        start(ClientAuth.NONE);

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pdp.decisions().decide(logistics()));

        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    }

    @Test
    void tls13IsNegotiatedWhenTheClientOffersIt() throws Exception {
        start(ClientAuth.NONE);

        SSLSession session = TlsClients.handshake(pdp.server.port(), serverCa, Optional.empty(), "TLSv1.3", "TLSv1.2");

        assertEquals("TLSv1.3", session.getProtocol());
    }

    @Test
    void aTls12ClientIsServed() throws Exception {
        start(ClientAuth.NONE);

        assertEquals("TLSv1.2", TlsClients.handshake(pdp.server.port(), serverCa, Optional.empty(), "TLSv1.2")
                .getProtocol());
    }

    @Test
    void aTls11ClientIsRefused() throws Exception {
        start(ClientAuth.NONE);

        assertThrows(SSLException.class,
                () -> TlsClients.handshake(pdp.server.port(), serverCa, Optional.empty(), "TLSv1.1"));
    }

    @Test
    void theAdminPortInheritsTheDecisionPortsTlsAndStillWantsItsToken() throws Exception {
        start(ClientAuth.REQUIRE);
        Optional<TestCertificates.PemFiles> files = Optional.of(client.write(dir, "admin-client"));
        channel = TlsClients.channel(pdp.server.adminPort(), serverCaFile, files);
        PolicyAdminServiceGrpc.PolicyAdminServiceBlockingStub admin = PolicyAdminServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS);

        StatusRuntimeException anonymous = assertThrows(StatusRuntimeException.class,
                () -> admin.getStatus(GetStatusRequest.getDefaultInstance()));
        String revision = admin.withCallCredentials(AdminCalls.bearer(AdminCalls.firstToken(pdp.adminTokens)))
                .getStatus(GetStatusRequest.getDefaultInstance()).getActive().getRevision();

        assertEquals(Status.Code.UNAUTHENTICATED, anonymous.getStatus().getCode());
        assertEquals(pdp.server.activeBundle().orElseThrow().revision(), revision);
    }

    @Test
    void theAdminPortCanHaveItsOwnClientAuth() throws Exception {
        PdpConfig config = PdpConfig.defaults();
        pdp = RunningPdp.start(config.withSecurity(config.security()
                .withTls(TlsSettings.mutual(serverFiles.cert(), serverFiles.key(), clientCaFile))
                .withAdminTls(TlsSettings.serverOnly(serverFiles.cert(), serverFiles.key()))));
        channel = TlsClients.channel(pdp.server.adminPort(), serverCaFile, Optional.empty());

        String revision = PolicyAdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .withCallCredentials(AdminCalls.bearer(AdminCalls.firstToken(pdp.adminTokens)))
                .getStatus(GetStatusRequest.getDefaultInstance()).getActive().getRevision();

        assertEquals(pdp.server.activeBundle().orElseThrow().revision(), revision);
    }

    @Test
    void aPlaintextAdminPortBeyondLoopbackIsRefusedAtStartNamingTheFix() {
        // 192.0.2.1 (TEST-NET-1) is on no interface here: were the rule broken, binding would fail too.
        PdpConfig config = PdpConfig.defaults().withBind("192.0.2.1").withPort(0).withAdminPort(0)
                .withDataDir(dir.resolve("data"));

        PdpServer.StartupException e = assertThrows(PdpServer.StartupException.class,
                () -> PdpServer.builder(config).start());

        assertEquals("admin tokens would cross the network in plaintext: the admin port listens on 192.0.2.1:0"
                + " without TLS. Serve TLS on it (--tls-cert and --tls-key, or --admin-tls-cert and --admin-tls-key),"
                + " bind to loopback (--bind 127.0.0.1), or accept plaintext with --allow-plaintext-admin"
                + " (allow-plaintext-admin: true)", e.getMessage());
    }

    @Test
    void aMissingKeyFileRefusesTheStartNamingIt() {
        Path missing = dir.resolve("no-such.key");
        PdpConfig config = PdpConfig.defaults().withPort(0).withAdminPort(0).withDataDir(dir.resolve("data"));
        PdpConfig withTls = config.withSecurity(config.security().withTls(TlsSettings.serverOnly(serverFiles.cert(), missing)));

        PdpServer.StartupException e = assertThrows(PdpServer.StartupException.class,
                () -> PdpServer.builder(withTls).start());

        assertTrue(e.getMessage().startsWith("TLS: " + missing + ": cannot be read"), e.getMessage());
    }
}
