package dev.redline.pdp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.MetricsScrape;
import dev.redline.pdp.server.harness.RunningPdp;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.tls.SecretVolume;
import dev.redline.pdp.server.tls.TestCertificates;
import dev.redline.pdp.server.tls.TlsClients;
import dev.redline.pdp.server.tls.TlsSettings;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate rotation on a running PDP, the files replaced as a Kubernetes secret update replaces
 * them: new handshakes get the new certificate, no call fails, a broken update changes nothing.
 */
class TlsRotationEndToEndTest {
    private static final Duration RELOAD_INTERVAL = Duration.ofMillis(100);
    private static final long WAIT_MILLIS = 20_000;

    @TempDir
    Path dir;

    private final TestCertificates.Authority ca = TestCertificates.authority("server CA");
    private final TestCertificates.Issued first = ca.server("pdp-first");
    private SecretVolume secret;
    private Path caFile;
    private RunningPdp pdp;

    @BeforeEach
    void start() throws Exception {
        secret = SecretVolume.create(dir.resolve("secret"), first);
        caFile = ca.writeCertificate(dir.resolve("ca.crt"));
        PdpConfig config = PdpConfig.defaults();
        pdp = RunningPdp.start(config.withMetricsPort(0).withSecurity(config.security()
                .withTls(TlsSettings.serverOnly(secret.cert(), secret.key()))
                .withTlsReloadInterval(RELOAD_INTERVAL)));
    }

    @AfterEach
    void stop() {
        if (pdp != null) {
            pdp.close();
        }
    }

    private X509Certificate presented() throws Exception {
        return (X509Certificate) TlsClients.handshake(pdp.server.port(), ca, Optional.empty(), "TLSv1.3")
                .getPeerCertificates()[0];
    }

    private static DecideRequest logistics() {
        return DecideRequest.newBuilder().setInput(ContractCase.named("allowed-logistics").input()).build();
    }

    @Test
    void underLoadNoCallFailsAndNewHandshakesGetTheNewCertificate() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // Two callers keep one connection open across the rotation; one opens a new one per call.
            boolean freshConnections = i == 2;
            Thread caller = new Thread(() -> call(running, freshConnections, answered, failures), "caller-" + i);
            caller.start();
            callers.add(caller);
        }
        waitFor(() -> answered.get() >= 20, "calls before the rotation");
        TestCertificates.Issued second = ca.server("pdp-second");

        secret.update(second);
        waitFor(() -> presented().equals(second.certificate()), "the new certificate on a new handshake");
        int afterRotation = answered.get();
        waitFor(() -> answered.get() >= afterRotation + 20, "calls after the rotation");
        running.set(false);
        for (Thread caller : callers) {
            caller.join(WAIT_MILLIS);
        }

        assertEquals(List.of(), List.copyOf(failures));
        assertEquals(1, pdp.server.tlsReloads().reloads());
        assertEquals(0, pdp.server.tlsReloads().failures());
    }

    @Test
    void aCorruptRotatedCertificateKeepsTheOldOneServedAndCountsAFailure() throws Exception {
        secret.updateRaw("-----BEGIN CERTIFICATE-----\ntruncated", "-----BEGIN PRIVATE KEY-----\ntruncated");

        waitFor(() -> pdp.server.tlsReloads().failures() == 1, "the refused reload");

        assertEquals(first.certificate(), presented());
        ManagedChannel channel = TlsClients.channel(pdp.server.port(), caFile, Optional.empty());
        try {
            assertTrue(DecisionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .decide(logistics()).getAllow());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        assertEquals(0, pdp.server.tlsReloads().reloads());
    }

    @Test
    void aRotationIsCountedAsAReloadInTheMetrics() throws Exception {
        secret.update(ca.server("pdp-second"));

        waitFor(() -> reloads("ok") == 1, "pdp_tls_reloads_total{result=\"ok\"} to count the rotation");

        assertEquals(0, reloads("failed"));
    }

    @Test
    void aBrokenRotationIsCountedAsAFailedReloadInTheMetrics() throws Exception {
        secret.updateRaw("-----BEGIN CERTIFICATE-----\ntruncated", "-----BEGIN PRIVATE KEY-----\ntruncated");

        waitFor(() -> reloads("failed") == 1, "pdp_tls_reloads_total{result=\"failed\"} to count the refusal");

        assertEquals(0, reloads("ok"));
    }

    /** The decision port's reloads with {@code result} in a scrape of /metrics. */
    private long reloads(String result) throws Exception {
        return MetricsScrape.of(pdp.server.metricsPort().orElseThrow())
                .value("pdp_tls_reloads_total", Map.of("port", "decision", "result", result));
    }

    private void call(AtomicBoolean running, boolean freshConnections, AtomicInteger answered,
            ConcurrentLinkedQueue<Throwable> failures) {
        ManagedChannel channel = null;
        try {
            while (running.get() && failures.isEmpty()) {
                if (channel == null) {
                    channel = TlsClients.channel(pdp.server.port(), caFile, Optional.empty());
                }
                DecisionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).decide(logistics());
                answered.incrementAndGet();
                if (freshConnections) {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                    channel = null;
                }
            }
        } catch (Throwable e) {
            failures.add(e);
        } finally {
            if (channel != null) {
                channel.shutdownNow();
            }
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition condition, String what) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!condition.holds()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
