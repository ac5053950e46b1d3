package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.AdminCalls;
import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.OpaBundles;
import dev.redline.pdp.server.harness.RunningPdp;
import dev.redline.pdp.server.harness.TestArchives;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.PolicyStatus;
import dev.redline.pdp.api.v1.PushBundleResponse;
import dev.redline.pdp.api.v1.StoredBundle;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy changes at run time through the admin API, over real gRPC: pushes, activations and
 * rollbacks take effect atomically, and every refusal names the problem and leaves the active
 * bundle deciding.
 */
class BundleAdminEndToEndTest {
    @TempDir
    static Path bundles;

    private static Path revisionA;
    private static Path revisionB;
    private static Path needsHostBuiltin;
    private static Path failsSmokeEvaluation;

    @TempDir
    Path dataDir;

    private RunningPdp pdp;
    private AdminCalls admin;

    @BeforeAll
    static void buildBundles() throws Exception {
        revisionA = revision("A");
        revisionB = revision("B");
        needsHostBuiltin = OpaBundles.build(Files.createDirectories(bundles.resolve("needs")),
                Map.of("p.rego", "package needs\n\ndecision := {\"allow\": true, \"r\": http.send({\"method\": \"get\", \"url\": input.url})}\n"), "needs/decision");
        failsSmokeEvaluation = OpaBundles.build(Files.createDirectories(bundles.resolve("smoke")),
                Map.of("p.rego", "package smoke\n\ndecision := x if {\n\tsome x in [1, 2]\n}\n"), "smoke/decision");
    }

    private static Path revision(String name) throws Exception {
        return OpaBundles.buildRevision(Files.createDirectories(bundles.resolve(name)),
                Map.of("rev.rego", "package rev\n\ndecision := {\"allow\": true, \"rev\": \"" + name + "\"}\n"),
                "rev-" + name, "rev/decision");
    }

    @BeforeEach
    void start() throws Exception {
        pdp = RunningPdp.start(PdpConfig.defaults().withDataDir(dataDir));
        admin = AdminCalls.forPdp(pdp.server, dataDir);
    }

    @AfterEach
    void stop() throws Exception {
        admin.close();
        pdp.close();
    }

    private DecideResponse decideRev() {
        return pdp.decisions().decide(DecideRequest.newBuilder().setPath("rev/decision").setInput(Struct.getDefaultInstance()).build());
    }

    private String activeDigest() {
        return pdp.server.activeBundle().orElseThrow().digest();
    }

    @Test
    void pushWithActivateSwitchesDecisionsToTheNewRevision() throws Exception {
        PushBundleResponse pushed = admin.push(revisionA, true);

        assertTrue(pushed.getActivated());
        assertEquals("rev-A", pushed.getBundle().getRevision());
        assertEquals("admin", pushed.getBundle().getPushedBy());
        assertTrue(pushed.getValidatedList().contains("smoke evaluation of every entrypoint"), pushed.getValidatedList().toString());
        DecideResponse decision = decideRev();
        assertEquals("rev-A", decision.getBundle().getRevision());
        assertEquals(pushed.getBundle().getDigest(), decision.getBundle().getDigest());
        assertEquals("A", decision.getResult().getStructValue().getFieldsOrThrow("rev").getStringValue());
    }

    @Test
    void pushWithoutActivateStoresButDoesNotDecide() throws Exception {
        String before = activeDigest();

        PushBundleResponse pushed = admin.push(revisionA, false);

        assertFalse(pushed.getActivated());
        assertEquals(before, activeDigest());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, this::decideRev).getStatus().getCode());
        assertTrue(admin.list().stream().anyMatch(b -> b.getDigest().equals(pushed.getBundle().getDigest()) && !b.getActive()));
    }

    @Test
    void listShowsEveryStoredBundleNewestFirstWithTheActiveOneMarked() throws Exception {
        admin.push(revisionA, true);
        admin.push(revisionB, false);

        var listed = admin.list();

        assertEquals(3, listed.size()); // the built-in contract, A, B
        assertEquals("rev-B", listed.get(0).getRevision());
        assertEquals("rev-A", listed.get(1).getRevision());
        assertEquals("built-in:contract", listed.get(2).getName());
        assertEquals(1, listed.stream().filter(StoredBundle::getActive).count());
        assertTrue(listed.get(1).getActive());
    }

    @Test
    void activateByDigestAndRollbackReturnToThePreviousBundle() throws Exception {
        String a = admin.push(revisionA, true).getBundle().getDigest();
        String b = admin.push(revisionB, false).getBundle().getDigest();

        var activated = admin.activate(b);
        assertEquals(b, activated.getActive().getDigest());
        assertEquals(a, activated.getPrevious().getDigest());
        assertEquals("rev-B", decideRev().getBundle().getRevision());

        var rolledBack = admin.rollback();
        assertEquals(a, rolledBack.getActive().getDigest());
        assertEquals("rev-A", decideRev().getBundle().getRevision());
    }

    @Test
    void aPushWhoseActivationCannotBePersistedIsInternalAndTheOldBundleDecidesThenAndAfterARestart() throws Exception {
        String a = admin.push(revisionA, true).getBundle().getDigest();
        blockWritingTheActiveChoice();

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> admin.push(revisionB, true));

        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("active choice cannot be written to "
                + dataDir.resolve("active.json")), e.getStatus().getDescription());
        assertEquals(a, activeDigest());
        assertEquals("rev-A", decideRev().getBundle().getRevision());
        assertEquals(a, restarted().getBundle().getDigest());
    }

    @Test
    void anActivationThatCannotBePersistedIsInternalAndTheOldBundleDecidesThenAndAfterARestart() throws Exception {
        String a = admin.push(revisionA, true).getBundle().getDigest();
        String b = admin.push(revisionB, false).getBundle().getDigest();
        blockWritingTheActiveChoice();

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> admin.activate(b));

        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertEquals(a, activeDigest());
        assertEquals(a, admin.status().getActive().getDigest());
        assertEquals("rev-A", decideRev().getBundle().getRevision());
        assertEquals(a, restarted().getBundle().getDigest());
    }

    /** A directory where the active choice's temporary file goes: writing it fails, even as root. */
    private void blockWritingTheActiveChoice() throws Exception {
        Files.createDirectory(dataDir.resolve("active.json.tmp"));
    }

    /** Restarts the PDP on the same data directory (which clears the block) and decides once. */
    private DecideResponse restarted() throws Exception {
        admin.close();
        pdp.close();
        pdp = RunningPdp.start(PdpConfig.defaults().withDataDir(dataDir));
        admin = AdminCalls.forPdp(pdp.server, dataDir);
        return decideRev();
    }

    @Test
    void rollbackWithNothingBeforeIsNotFound() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, admin::rollback);

        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("no previously active bundle"));
    }

    @Test
    void activatingAnUnknownDigestIsNotFound() {
        String unknown = "sha256:" + "0".repeat(64);

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> admin.activate(unknown));

        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains(unknown));
    }

    private void assertRefused(byte[] archive, String expectedMessagePart) throws Exception {
        String before = activeDigest();

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> admin.push("bad.tar.gz", archive, true));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains(expectedMessagePart), e.getStatus().getDescription());
        assertEquals(before, activeDigest());
        PolicyStatus status = admin.status();
        assertEquals(before, status.getActive().getDigest());
        assertEquals("push", status.getLastError().getSource());
        assertTrue(status.getLastError().getMessage().contains(expectedMessagePart));
        assertTrue(pdp.decisions().decide(DecideRequest.newBuilder()
                .setInput(ContractCase.named("allowed-logistics").input()).build()).getAllow());
    }

    @Test
    void refusesBytesThatAreNotAGzippedTar() throws Exception {
        assertRefused(TestArchives.utf8("definitely not a bundle"), "not a valid gzipped tar archive");
    }

    @Test
    void refusesAnEntryThatEscapesTheBundle() throws Exception {
        assertRefused(TestArchives.of(Map.of("../../etc/evil.rego", TestArchives.utf8("package evil"))), "unsafe path");
    }

    @Test
    void refusesASymbolicLink() throws Exception {
        assertRefused(TestArchives.withSymlink("policy.wasm", "/etc/passwd"), "not a regular file");
    }

    @Test
    void refusesABundleWithoutPolicyWasm() throws Exception {
        assertRefused(TestArchives.of(Map.of(".manifest", TestArchives.utf8("{\"roots\": [\"x\"]}"))), "has no /policy.wasm");
    }

    @Test
    void refusesOverlappingRoots() throws Exception {
        assertRefused(TestArchives.of(Map.of(".manifest", TestArchives.utf8("{\"roots\": [\"a\", \"a/b\"]}"),
                "policy.wasm", new byte[] {0, 'a', 's', 'm'})), "overlap");
    }

    @Test
    void refusesPolicyWasmThatIsNotAModule() throws Exception {
        assertRefused(TestArchives.of(Map.of("policy.wasm", TestArchives.utf8("not wasm"))), "policy.wasm cannot be instantiated");
    }

    @Test
    void refusesAManifestEntrypointThePolicyDoesNotExport() throws Exception {
        byte[] wasm = wasmOf(revisionA);
        assertRefused(TestArchives.of(Map.of(
                ".manifest", TestArchives.utf8("{\"roots\": [\"rev\"], \"wasm\": [{\"entrypoint\": \"rev/missing\", \"module\": \"/policy.wasm\"}]}"),
                "policy.wasm", wasm)), "rev/missing");
    }

    @Test
    void refusesDataThatIsNotJson() throws Exception {
        assertRefused(TestArchives.of(Map.of("policy.wasm", wasmOf(revisionA), "data.json", TestArchives.utf8("{oops"))),
                "data.json is not valid JSON");
    }

    @Test
    void refusesAPolicyThatNeedsABuiltinTheHostLacks() throws Exception {
        assertRefused(Files.readAllBytes(needsHostBuiltin), "needs builtins the PDP does not provide: [http.send]");
    }

    @Test
    void refusesAPolicyThatFailsItsSmokeEvaluation() throws Exception {
        assertRefused(Files.readAllBytes(failsSmokeEvaluation), "smoke evaluation of entrypoint smoke/decision");
    }

    @Test
    void pushWithoutATokenIsUnauthenticated() throws Exception {
        try (AdminCalls anonymous = new AdminCalls(pdp.server.adminPort(), "")) {
            var stub = dev.redline.pdp.api.v1.PolicyAdminServiceGrpc.newBlockingStub(pdp.channel);
            // The admin service is not on the decision port at all.
            StatusRuntimeException onDecisionPort = assertThrows(StatusRuntimeException.class,
                    () -> stub.listBundles(dev.redline.pdp.api.v1.ListBundlesRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNIMPLEMENTED, onDecisionPort.getStatus().getCode());

            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> anonymous.push(revisionA, true));
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        }
    }

    @Test
    void pushWithAWrongTokenIsUnauthenticatedAndChangesNothing() throws Exception {
        String before = activeDigest();
        try (AdminCalls stranger = new AdminCalls(pdp.server.adminPort(), "not-the-token-0123456789")) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stranger.push(revisionA, true));

            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
            assertEquals("the admin token is not recognized", e.getStatus().getDescription());
        }
        assertEquals(before, activeDigest());
        assertEquals(1, admin.list().size());
    }

    @Test
    void readOnlyTokenMayListButNotPush() throws Exception {
        pdp.close();
        Path tokens = dataDir.resolve("readers.tokens");
        Files.writeString(tokens, "ops admin ops-token-0123456789abcdef\nauditor reader auditor-token-0123456789\n");
        pdp = RunningPdp.start(PdpConfig.defaults().withDataDir(dataDir).withAdminTokens(tokens));

        try (AdminCalls auditor = new AdminCalls(pdp.server.adminPort(), "auditor-token-0123456789");
                AdminCalls ops = new AdminCalls(pdp.server.adminPort(), "ops-token-0123456789abcdef")) {
            assertEquals(1, auditor.list().size());
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> auditor.push(revisionA, true));
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("auditor"));

            assertEquals("ops", ops.push(revisionA, true).getBundle().getPushedBy());
        }
    }

    @Test
    void restartServesTheBundleThatWasActive() throws Exception {
        String a = admin.push(revisionA, true).getBundle().getDigest();
        admin.close();
        pdp.close();

        pdp = RunningPdp.start(PdpConfig.defaults().withDataDir(dataDir));
        admin = AdminCalls.forPdp(pdp.server, dataDir);

        assertEquals(a, activeDigest());
        assertEquals("rev-A", decideRev().getBundle().getRevision());
        assertEquals(2, admin.list().size());
    }

    @Test
    void healthIsServingOnceABundleIsActive() {
        var health = HealthGrpc.newBlockingStub(pdp.channel);

        assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                health.check(HealthCheckRequest.newBuilder().setService("pdp.v1.DecisionService").build()).getStatus());
    }

    private static byte[] wasmOf(Path bundle) throws Exception {
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream(Files.newInputStream(bundle)))) {
            org.apache.commons.compress.archivers.tar.TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.getName().endsWith("policy.wasm")) {
                    return tar.readAllBytes();
                }
            }
        }
        throw new IllegalStateException("no policy.wasm in " + bundle);
    }
}
