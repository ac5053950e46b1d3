package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.AdminCalls;
import dev.redline.pdp.server.harness.OpaBundles;
import dev.redline.pdp.server.harness.RunningPdp;
import dev.redline.pdp.server.harness.SignedBundles;
import dev.redline.pdp.server.harness.SigningKeys;
import dev.redline.pdp.server.harness.TestBundleServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.PolicyStatus;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.config.PolicySourceConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bundles pulled from a real HTTP server, as OPA's bundle plugin pulls them: the PDP waits
 * (NOT_SERVING) for its first bundle, revalidates with {@code If-None-Match} and activates a
 * bundle once, picks up a new ETag, reports a failed poll in GetStatus while the active bundle
 * keeps deciding, and sends its bearer token. Polls every 50–100 ms.
 */
class BundlePollingEndToEndTest {
    private static final String ENTRYPOINT = "poll/decision";
    private static final String TOKEN = "bundle-server-token-7f3a9c";

    @TempDir
    static Path bundles;

    private static byte[] bundleA;
    private static byte[] bundleB;

    @TempDir
    Path dataDir;

    private TestBundleServer bundleServer;
    private RunningPdp pdp;
    private AdminCalls admin;

    @BeforeAll
    static void buildBundles() throws Exception {
        bundleA = Files.readAllBytes(revision("A"));
        bundleB = Files.readAllBytes(revision("B"));
    }

    private static Path revision(String name) throws Exception {
        return OpaBundles.buildRevision(Files.createDirectories(bundles.resolve(name)),
                Map.of("poll.rego", "package poll\n\ndecision := {\"allow\": true, \"rev\": \"" + name + "\"}\n"),
                "poll-" + name, ENTRYPOINT);
    }

    @BeforeEach
    void startBundleServer() throws Exception {
        bundleServer = new TestBundleServer();
    }

    @AfterEach
    void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (pdp != null) {
            pdp.close();
        }
        bundleServer.close();
    }

    private void startPdp(Optional<String> bearerToken) throws Exception {
        var poll = new PolicySourceConfig.Poll(bundleServer.url(), Duration.ofMillis(50), Duration.ofMillis(100),
                bearerToken);
        pdp = RunningPdp.start(PdpConfig.defaults().withInstances(1)
                .withPolicy(new PolicySourceConfig(dataDir, 10, SignaturePolicy.none(), Optional.of(poll))));
        admin = AdminCalls.forPdp(pdp.server, dataDir);
    }

    /** Starts the PDP and waits until it decides with {@code firstBundle} and holds its ETag. */
    private void startPdpOn(byte[] firstBundle, String etag) throws Exception {
        bundleServer.serve(firstBundle, etag);
        startPdp(Optional.empty());
        awaitActive(firstBundle, etag);
    }

    @Test
    void startsNotServingAndUnavailableUntilTheBundleServerServesABundle() throws Exception {
        startPdp(Optional.empty()); // the bundle server answers 404 for now

        await("the first poll", () -> !bundleServer.requests().isEmpty());
        assertEquals(ServingStatus.NOT_SERVING, health(""));
        assertEquals(ServingStatus.NOT_SERVING, health("pdp.v1.DecisionService"));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, this::decide);
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());

        bundleServer.serve(bundleA, "\"etag-a\"");

        await("health SERVING", () -> health("") == ServingStatus.SERVING);
        assertEquals(ServingStatus.SERVING, health("pdp.v1.DecisionService"));
        DecideResponse decision = decide();
        assertEquals("A", rev(decision));
        assertEquals("poll-A", decision.getBundle().getRevision());
        assertEquals(sha256(bundleA), decision.getBundle().getDigest());
    }

    @Test
    void revalidatesWithIfNoneMatchAndActivatesAnUnchangedBundleOnlyOnce() throws Exception {
        startPdpOn(bundleA, "\"etag-a\"");
        Timestamp activation = admin.status().getLastActivation();

        await("three polls answered 304 Not Modified", () -> answered(304) >= 3);

        List<TestBundleServer.Request> requests = bundleServer.requests();
        assertNull(requests.get(0).ifNoneMatch(), "the first poll has no ETag to send");
        assertEquals(200, requests.get(0).answeredStatus());
        for (TestBundleServer.Request later : requests.subList(1, requests.size())) {
            assertEquals("\"etag-a\"", later.ifNoneMatch());
            assertEquals(304, later.answeredStatus());
        }
        PolicyStatus status = admin.status();
        assertEquals(activation, status.getLastActivation());
        assertEquals(sha256(bundleA), status.getActive().getDigest());
        assertEquals("\"etag-a\"", pdp.server.pollState().orElseThrow().etag());
        assertEquals("\"etag-a\"", status.getPoll().getEtag());
        assertEquals(bundleServer.url().toString(), status.getPoll().getUrl());
        assertTrue(status.getPoll().hasLastPoll());
    }

    @Test
    void activatesANewBundleServedUnderANewEtag() throws Exception {
        startPdpOn(bundleA, "\"etag-a\"");
        Timestamp firstActivation = admin.status().getLastActivation();

        bundleServer.serve(bundleB, "\"etag-b\"");

        awaitActive(bundleB, "\"etag-b\"");
        DecideResponse decision = decide();
        assertEquals("B", rev(decision));
        assertEquals(sha256(bundleB), decision.getBundle().getDigest());
        PolicyStatus status = admin.status();
        assertTrue(Timestamps.compare(status.getLastActivation(), firstActivation) > 0);
        assertEquals("poll:" + bundleServer.url(), status.getActive().getPushedBy());
        assertTrue(bundleServer.requests().stream()
                .anyMatch(r -> "\"etag-a\"".equals(r.ifNoneMatch()) && r.answeredStatus() == 200));
    }

    @Test
    void reportsAServerErrorInTheStatusWhileTheActiveBundleKeepsDeciding() throws Exception {
        startPdpOn(bundleA, "\"etag-a\"");

        bundleServer.answerStatus(500);

        String expected = "polling " + bundleServer.url() + " answered HTTP 500";
        await("the 500 in GetStatus", () -> admin.status().getLastError().getMessage().equals(expected));
        PolicyStatus status = admin.status();
        assertEquals("poll:" + bundleServer.url(), status.getLastError().getSource());
        assertEquals(sha256(bundleA), status.getActive().getDigest());
        DecideResponse decision = decide();
        assertEquals("A", rev(decision));
        assertEquals(sha256(bundleA), decision.getBundle().getDigest());
        assertEquals(ServingStatus.SERVING, health(""));
    }

    @Test
    void reportsAnInvalidBundleInTheStatusWhileTheActiveBundleKeepsDeciding() throws Exception {
        startPdpOn(bundleA, "\"etag-a\"");

        bundleServer.serve("these bytes are not a bundle".getBytes(StandardCharsets.UTF_8), "\"etag-garbage\"");

        String expected = "bundle " + TestBundleServer.PATH + " refused: bundle is not a valid gzipped tar archive";
        await("the refusal in GetStatus", () -> admin.status().getLastError().getMessage().startsWith(expected));
        PolicyStatus status = admin.status();
        assertEquals("poll:" + bundleServer.url(), status.getLastError().getSource());
        assertEquals(sha256(bundleA), status.getActive().getDigest());
        DecideResponse decision = decide();
        assertEquals("A", rev(decision));
        assertEquals(sha256(bundleA), decision.getBundle().getDigest());
        // The refused bundle's ETag is not adopted as the one of the bundle the PDP holds.
        assertEquals("\"etag-a\"", pdp.server.pollState().orElseThrow().etag());
    }

    @Test
    void aRefusedBundleIsAskedForWithItsEtagAndNeverValidatedAgain() throws Exception {
        startPdpOn(bundleA, "\"etag-a\"");
        bundleServer.serve(GARBAGE, "\"etag-garbage\"");
        Timestamp refusedAt = awaitRefusal();
        int refusal = indexOfTheOnly200ForGarbage("\"etag-a\"");

        await("three more polls", () -> bundleServer.requests().size() >= refusal + 4);

        for (TestBundleServer.Request later : bundleServer.requests().subList(refusal + 1, refusal + 4)) {
            assertEquals("\"etag-garbage\"", later.ifNoneMatch());
            assertEquals(304, later.answeredStatus());
        }
        assertRefusalReportedOnceAndADecides(refusedAt);
    }

    @Test
    void aRefusedBundleServedAgainWithoutAnEtagIsNotValidatedAgain() throws Exception {
        startPdpOn(bundleA, "\"etag-a\"");
        bundleServer.serve(GARBAGE, null); // no ETag: every poll is answered 200 with the same bytes
        Timestamp refusedAt = awaitRefusal();
        int seen = bundleServer.requests().size();

        await("three more polls", () -> bundleServer.requests().size() >= seen + 3);

        assertRefusalReportedOnceAndADecides(refusedAt);
    }

    @Test
    void aValidBundleServedAfterARefusedOneIsActivated() throws Exception {
        startPdpOn(bundleA, "\"etag-a\"");
        bundleServer.serve(GARBAGE, "\"etag-garbage\"");
        awaitRefusal();

        bundleServer.serve(bundleB, "\"etag-b\"");

        awaitActive(bundleB, "\"etag-b\"");
        assertEquals("B", rev(decide()));
    }

    private static final byte[] GARBAGE = "these bytes are not a bundle".getBytes(StandardCharsets.UTF_8);

    private static final String GARBAGE_REFUSAL = "bundle " + TestBundleServer.PATH
            + " refused: bundle is not a valid gzipped tar archive: Input is not in the .gz format.";

    /** Waits for the garbage to be refused; returns when the refusal was reported. */
    private Timestamp awaitRefusal() throws InterruptedException {
        await("the refusal in GetStatus", () -> admin.status().getLastError().getMessage().equals(GARBAGE_REFUSAL));
        return admin.status().getLastError().getTime();
    }

    /** The one request that downloaded the garbage: asked with the active bundle's ETag, answered 200. */
    private int indexOfTheOnly200ForGarbage(String activeEtag) {
        List<TestBundleServer.Request> requests = bundleServer.requests();
        List<Integer> downloads = new java.util.ArrayList<>();
        for (int i = 1; i < requests.size(); i++) {
            if (requests.get(i).answeredStatus() == 200) {
                assertEquals(activeEtag, requests.get(i).ifNoneMatch());
                downloads.add(i);
            }
        }
        assertEquals(1, downloads.size(), "the garbage is downloaded once: " + requests);
        return downloads.get(0);
    }

    private void assertRefusalReportedOnceAndADecides(Timestamp refusedAt) {
        PolicyStatus status = admin.status();
        assertEquals(GARBAGE_REFUSAL, status.getLastError().getMessage());
        assertEquals(refusedAt, status.getLastError().getTime());
        assertEquals(sha256(bundleA), status.getActive().getDigest());
        assertEquals("A", rev(decide()));
        assertEquals("\"etag-a\"", pdp.server.pollState().orElseThrow().etag());
    }

    @Test
    void sendsTheConfiguredBearerTokenOnEveryPoll() throws Exception {
        bundleServer.serve(bundleA, "\"etag-a\"");
        startPdp(Optional.of(TOKEN));
        awaitActive(bundleA, "\"etag-a\"");
        await("a second poll", () -> bundleServer.requests().size() >= 2);

        for (TestBundleServer.Request request : bundleServer.requests()) {
            assertEquals("Bearer " + TOKEN, request.authorization());
        }
    }

    @Test
    void sendsNoAuthorizationHeaderWhenNoTokenIsConfigured() throws Exception {
        startPdpOn(bundleA, "\"etag-a\"");
        await("a second poll", () -> bundleServer.requests().size() >= 2);

        for (TestBundleServer.Request request : bundleServer.requests()) {
            assertNull(request.authorization());
        }
    }

    @Test
    void aPdpThatRequiresSignaturesActivatesOnlyASignedPolledBundle() throws Exception {
        SigningKeys.SigningKey release = SigningKeys.hmacSecret(bundles.resolve("keys"), "release");
        byte[] unsigned = Files.readAllBytes(SignedBundles.unsigned(bundles.resolve("unsigned"), "u1"));
        byte[] signed = Files.readAllBytes(SignedBundles.signed(bundles.resolve("signed"), "s1",
                release.signingKey(), "HS256", "release"));
        var poll = new PolicySourceConfig.Poll(bundleServer.url(), Duration.ofMillis(50), Duration.ofMillis(100),
                Optional.empty());
        var signatures = new SignaturePolicy(true, Map.of("release", release.verificationKey("release")));
        bundleServer.serve(unsigned, "\"etag-unsigned\"");
        pdp = RunningPdp.start(PdpConfig.defaults().withInstances(1)
                .withPolicy(new PolicySourceConfig(dataDir, 10, signatures, Optional.of(poll))));
        admin = AdminCalls.forPdp(pdp.server, dataDir);

        await("the unsigned bundle refused", () -> admin.status().getLastError().getMessage()
                .contains("bundle is not signed, and this PDP requires signed bundles"));
        assertEquals("poll:" + bundleServer.url(), admin.status().getLastError().getSource());
        assertEquals(ServingStatus.NOT_SERVING, health(""));
        assertTrue(pdp.server.activeBundle().isEmpty());

        bundleServer.serve(signed, "\"etag-signed\"");

        awaitActive(signed, "\"etag-signed\"");
        assertEquals(ServingStatus.SERVING, health(""));
        assertEquals("release", admin.status().getActive().getSignedBy());
    }

    // --- helpers --------------------------------------------------------------------------------

    /** Waits until {@code bundle} decides and the poller holds {@code etag} (it takes the ETag once activated). */
    private void awaitActive(byte[] bundle, String etag) throws InterruptedException {
        String digest = sha256(bundle);
        await("bundle " + digest + " active under ETag " + etag,
                () -> pdp.server.pollState().orElseThrow().etag().equals(etag)
                        && pdp.server.activeBundle().map(b -> b.digest().equals(digest)).orElse(false));
    }

    private long answered(int status) {
        return bundleServer.requests().stream().filter(r -> r.answeredStatus() == status).count();
    }

    /** Checks every 20 ms, for up to 10 s. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited 10 s for " + what);
            }
            Thread.sleep(20);
        }
    }

    private ServingStatus health(String service) {
        return HealthGrpc.newBlockingStub(pdp.channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    private DecideResponse decide() {
        return pdp.decisions().decide(DecideRequest.newBuilder().setPath(ENTRYPOINT)
                .setInput(Struct.getDefaultInstance()).build());
    }

    private static String rev(DecideResponse decision) {
        return decision.getResult().getStructValue().getFieldsOrThrow("rev").getStringValue();
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
