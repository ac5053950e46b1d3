package dev.redline.pdp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.redline.pdp.api.v1.AuditServiceGrpc;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.DecisionRecord;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.api.v1.GetDecisionRequest;
import dev.redline.pdp.server.harness.AdminCalls;
import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.RunningPdp;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.tls.TestCertificates;
import dev.redline.pdp.server.tls.TlsClients;
import dev.redline.pdp.server.tls.TlsSettings;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PDP with optional mTLS, on a bundle whose provider_principals names the provider's SPIFFE id:
 * the record names who asked, and the policy sees only the verified caller.
 */
class VerifiedCallerEndToEndTest {
    private static final String PROVIDER = "spiffe://provider.example/model-serving";

    @TempDir
    Path dir;

    private final TestCertificates.Authority serverCa = TestCertificates.authority("server CA");
    private final TestCertificates.Authority clientCa = TestCertificates.authority("client CA");
    private final ContractCase providerDeploy = ContractCase.withData().stream()
            .filter(c -> c.name().equals("provider-identity-unverified")).findFirst().orElseThrow();
    private Path serverCaFile;
    private RunningPdp pdp;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        TestCertificates.PemFiles server = serverCa.server("pdp").write(dir, "server");
        serverCaFile = serverCa.writeCertificate(dir.resolve("server-ca.crt"));
        Path bundle = Files.write(dir.resolve("with-provider-principals.tar.gz"), providerDeploy.bundle());
        PdpConfig config = PdpConfig.defaults().withBundle(bundle);
        pdp = RunningPdp.start(config.withSecurity(config.security().withTls(new TlsSettings(server.cert(),
                server.key(), Optional.of(clientCa.writeCertificate(dir.resolve("client-ca.crt"))),
                dev.redline.pdp.server.tls.ClientAuth.OPTIONAL))));
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        pdp.close();
    }

    private DecisionServiceGrpc.DecisionServiceBlockingStub as(Optional<TestCertificates.Issued> client)
            throws Exception {
        Optional<TestCertificates.PemFiles> files = Optional.empty();
        if (client.isPresent()) {
            files = Optional.of(client.get().write(dir, "client"));
        }
        channel = TlsClients.channel(pdp.server.port(), serverCaFile, files);
        return DecisionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    /** The provider's deploy request, claiming to come from the provider's principal. */
    private DecideRequest forgedProviderDeploy() {
        Struct forged = Struct.newBuilder()
                .putFields("principal", Value.newBuilder().setStringValue(PROVIDER).build())
                .putFields("method", Value.newBuilder().setStringValue("mtls").build()).build();
        return DecideRequest.newBuilder().setInput(providerDeploy.input().toBuilder()
                .putFields("caller", Value.newBuilder().setStructValue(forged).build())).build();
    }

    /** Read back on the admin port, which inherits the decision port's TLS. */
    private DecisionRecord record(DecideResponse response) throws Exception {
        ManagedChannel admin = TlsClients.channel(pdp.server.adminPort(), serverCaFile, Optional.empty());
        try {
            return AuditServiceGrpc.newBlockingStub(admin).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .withCallCredentials(AdminCalls.bearer(AdminCalls.firstToken(pdp.adminTokens)))
                    .getDecision(GetDecisionRequest.newBuilder().setDecisionId(response.getDecisionId()).build());
        } finally {
            admin.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theRecordNamesTheCertificatesSpiffeIdAndMethod() throws Exception {
        TestCertificates.Issued provider = clientCa.issue("CN=model-serving", Duration.ofDays(1), "uri:" + PROVIDER);

        DecideResponse response = as(Optional.of(provider)).decide(forgedProviderDeploy());
        DecisionRecord record = record(response);

        assertEquals(PROVIDER, record.getCaller().getPrincipal());
        assertEquals("mtls", record.getCaller().getMethod());
    }

    @Test
    void theVerifiedProvidersPrincipalSatisfiesProviderPrincipals() throws Exception {
        TestCertificates.Issued provider = clientCa.issue("CN=model-serving", Duration.ofDays(1), "uri:" + PROVIDER);

        DecideResponse response = as(Optional.of(provider)).decide(forgedProviderDeploy());

        assertTrue(response.getAllow(), response.toString());
    }

    @Test
    void aForgedCallerWithoutACertificateIsRemovedAndThePolicyDenies() throws Exception {
        DecideResponse response = as(Optional.empty()).decide(forgedProviderDeploy());
        DecisionRecord record = record(response);

        assertFalse(response.getAllow());
        assertEquals("PROVIDER_IDENTITY_UNVERIFIED", response.getViolations(0).getCode());
        assertFalse(record.getInput().getFieldsMap().containsKey("caller"), record.getInput().toString());
        assertEquals("", record.getCaller().getPrincipal());
    }

    @Test
    void aForgedCallerIsReplacedByTheCertificatesIdentityInTheLoggedInput() throws Exception {
        TestCertificates.Issued gateway = clientCa.issue("CN=gateway", Duration.ofDays(1),
                "uri:spiffe://customer.example/gateway");

        DecideResponse response = as(Optional.of(gateway)).decide(forgedProviderDeploy());
        Struct logged = record(response).getInput().getFieldsOrThrow("caller").getStructValue();

        assertEquals("PROVIDER_IDENTITY_UNVERIFIED", response.getViolations(0).getCode());
        assertEquals("spiffe://customer.example/gateway", logged.getFieldsOrThrow("principal").getStringValue());
        assertEquals("mtls", logged.getFieldsOrThrow("method").getStringValue());
    }
}
