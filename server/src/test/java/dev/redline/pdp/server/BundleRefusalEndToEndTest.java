package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.AdminCalls;
import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.OpaBundles;
import dev.redline.pdp.server.harness.RunningPdp;
import dev.redline.pdp.server.harness.TestArchives;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.PolicyStatus;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.bundle.InvalidBundleException;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import dev.redline.pdp.server.bundle.TarGz;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and malformed bundles pushed over real gRPC to a PDP configured with small bundle
 * limits and a small policy memory cap (16 MiB, so that 200 KB of data shows what 50 MB does under
 * the default 256 MiB): each is refused with its exact status and message, recorded as the last error, stored
 * nowhere, and the bundle that was active keeps deciding.
 */
class BundleRefusalEndToEndTest {
    private static final int KIB = 1024;

    /** Small enough to exceed cheaply, large enough for the built-in contract (74 KiB, 14 files, 182 KiB wasm). */
    private static final BundleLimits LIMITS = new BundleLimits(256 * KIB, 512 * KIB, 256 * KIB, 100); // the built-in bundle (policy, data, warm-up inputs) fits

    private static final long MEMORY_CAP = 16L << 20;

    @TempDir
    Path dataDir;

    private RunningPdp pdp;
    private AdminCalls admin;
    private String activeBefore;

    @BeforeEach
    void start() throws Exception {
        // A generous evaluation timeout: the first decision of a cold JVM on a busy machine is slow.
        PdpConfig config = PdpConfig.defaults().withDataDir(dataDir).withEvalTimeout(Duration.ofSeconds(10))
                .withMaxMemoryBytes(MEMORY_CAP);
        pdp = RunningPdp.start(config.withPolicy(config.policy().withLimits(LIMITS)));
        admin = AdminCalls.forPdp(pdp.server, dataDir);
        activeBefore = pdp.server.activeBundle().orElseThrow().digest();
    }

    @AfterEach
    void stop() {
        admin.close();
        pdp.close();
    }

    @Test
    void aHardLinkEntryIsRefusedAndTheActiveBundleKeepsServing() throws Exception {
        byte[] archive = new TarGz().file("policy.wasm", new byte[8])
                .hardLink("copy.wasm", "policy.wasm").build();

        assertRefused(archive, Status.Code.INVALID_ARGUMENT,
                "bundle bad.tar.gz refused: bundle entry copy.wasm is not a regular file (links and devices are refused)");
    }

    @Test
    void aCharacterDeviceEntryIsRefusedAndTheActiveBundleKeepsServing() throws Exception {
        byte[] archive = new TarGz().special("dev/zero", TarConstants.LF_CHR).build();

        assertRefused(archive, Status.Code.INVALID_ARGUMENT,
                "bundle bad.tar.gz refused: bundle entry dev/zero is not a regular file (links and devices are refused)");
    }

    @Test
    void aBlockDeviceEntryIsRefusedAndTheActiveBundleKeepsServing() throws Exception {
        byte[] archive = new TarGz().special("dev/sda", TarConstants.LF_BLK).build();

        assertRefused(archive, Status.Code.INVALID_ARGUMENT,
                "bundle bad.tar.gz refused: bundle entry dev/sda is not a regular file (links and devices are refused)");
    }

    @Test
    void aFifoEntryIsRefusedAndTheActiveBundleKeepsServing() throws Exception {
        byte[] archive = new TarGz().special("pipe", TarConstants.LF_FIFO).build();

        assertRefused(archive, Status.Code.INVALID_ARGUMENT,
                "bundle bad.tar.gz refused: bundle entry pipe is not a regular file (links and devices are refused)");
    }

    @Test
    void aFileOverTheConfiguredPerFileLimitIsRefusedAndTheActiveBundleKeepsServing() throws Exception {
        byte[] archive = new TarGz().zeros("policy.wasm", 256 * KIB + 1).build();

        assertRefused(archive, Status.Code.INVALID_ARGUMENT,
                "bundle bad.tar.gz refused: bundle entry policy.wasm is larger than the limit of 262144 bytes");
    }

    @Test
    void filesOverTheConfiguredExpandedLimitTogetherAreRefusedAndTheActiveBundleKeepsServing() throws Exception {
        byte[] archive = new TarGz()
                .zeros("a.bin", 200 * KIB).zeros("b.bin", 200 * KIB).zeros("c.bin", 200 * KIB).build();

        assertRefused(archive, Status.Code.INVALID_ARGUMENT,
                "bundle bad.tar.gz refused: bundle expands to more than the limit of 524288 bytes");
    }

    @Test
    void moreFilesThanTheConfiguredLimitAreRefusedAndTheActiveBundleKeepsServing() throws Exception {
        TarGz archive = new TarGz();
        for (int i = 0; i < 101; i++) {
            archive.file("f" + i + ".rego", TestArchives.utf8("package f" + i + "\n"));
        }

        assertRefused(archive.build(), Status.Code.INVALID_ARGUMENT, "bundle bad.tar.gz refused: bundle has more than 100 files");
    }

    /**
     * The bomb is cut off halfway: a PDP that inflated it to its end would report a broken archive
     * instead, so naming the limit proves it stopped inflating once the limit was passed.
     */
    @Test
    void aGzipBombIsRefusedWhileInflatingAndTheActiveBundleKeepsServing() throws Exception {
        byte[] bomb = new TarGz().zeros("policy.wasm", 64L << 20).build();
        byte[] firstHalf = Arrays.copyOf(bomb, bomb.length / 2);
        assertTrue(firstHalf.length < LIMITS.maxArchiveBytes(), "premise: the bomb fits the archive limit, got "
                + firstHalf.length);
        BundleReader inflatesEverything = new BundleReader(new ObjectMapper(),
                new BundleLimits(256L << 20, 1L << 30, 1L << 30, 20), SignaturePolicy.none());
        assertTrue(assertThrows(InvalidBundleException.class, () -> inflatesEverything.read("bomb", firstHalf))
                .getMessage().startsWith("bundle is not a valid gzipped tar archive"),
                "premise: inflating the truncated bomb to its end fails on the truncation");

        assertRefused(firstHalf, Status.Code.INVALID_ARGUMENT,
                "bundle bad.tar.gz refused: bundle entry policy.wasm is larger than the limit of 262144 bytes");
    }

    @Test
    void aManifestThatIsNotJsonIsRefusedAndTheActiveBundleKeepsServing() throws Exception {
        byte[] archive = new TarGz().file(".manifest", TestArchives.utf8("revision: yaml-not-json"))
                .file("policy.wasm", new byte[8]).build();

        String message = refusalOf(archive, Status.Code.INVALID_ARGUMENT);

        assertTrue(message.startsWith("bundle bad.tar.gz refused: .manifest is not valid JSON: Unrecognized token 'revision'"),
                message);
        assertUntouched(message);
    }

    @Test
    void aPushOverTheConfiguredArchiveLimitIsResourceExhaustedAndTheActiveBundleKeepsServing() throws Exception {
        byte[] incompressible = new byte[256 * KIB + 1];
        new Random(7).nextBytes(incompressible);

        assertRefused(incompressible, Status.Code.RESOURCE_EXHAUSTED,
                "bundle is larger than the limit of 262144 bytes");
        assertEquals("push of bad.tar.gz refused: bundle is larger than the limit of 262144 bytes",
                admin.status().getLastError().getMessage());
    }

    @Test
    void aPushExactlyAtTheConfiguredArchiveLimitReachesValidation() throws Exception {
        byte[] atTheLimit = new byte[256 * KIB];
        new Random(7).nextBytes(atTheLimit);

        assertRefused(atTheLimit, Status.Code.INVALID_ARGUMENT,
                "bundle bad.tar.gz refused: bundle is not a valid gzipped tar archive: Input is not in the .gz format.");
    }

    @Test
    void dataTooLargeForThePolicyMemoryCapIsRefusedNamingItsSizeAndTheCap(@TempDir Path work) throws Exception {
        // 100,000 one-digit numbers: 200 KB of JSON, some 20 MB of Wasm heap once parsed.
        Files.createDirectories(work.resolve("src"));
        Files.writeString(work.resolve("src/data.json"), "{\"bulk\": {\"numbers\": [" + "1,".repeat(99_999) + "1]}}");
        Path bundle = OpaBundles.build(work, Map.of("bulk.rego",
                "package bulk\n\ndecision := {\"allow\": count(data.bulk.numbers) > 0}\n"), "bulk/decision");

        String message = refusalOf(Files.readAllBytes(bundle), Status.Code.INVALID_ARGUMENT);

        assertTrue(message.startsWith("bundle bad.tar.gz refused: bundle data is "), message);
        assertTrue(message.endsWith("over the policy memory cap of 16777216 bytes per instance (--max-memory-bytes)"),
                message);
        assertUntouched(message);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private void assertRefused(byte[] archive, Status.Code code, String message) throws Exception {
        assertEquals(message, refusalOf(archive, code));
        assertUntouched(code == Status.Code.RESOURCE_EXHAUSTED ? "push of bad.tar.gz refused: " + message : message);
    }

    private String refusalOf(byte[] archive, Status.Code code) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> admin.push("bad.tar.gz", archive, true));
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        return e.getStatus().getDescription();
    }

    /** The refusal is the last error, nothing was stored, and the bundle active before still decides. */
    private void assertUntouched(String lastError) throws Exception {
        PolicyStatus status = admin.status();
        assertEquals(activeBefore, status.getActive().getDigest());
        assertEquals(lastError, status.getLastError().getMessage());
        assertEquals("push", status.getLastError().getSource());
        assertEquals(1, admin.list().size());
        try (Stream<Path> stored = Files.list(dataDir.resolve("bundles"))) {
            assertEquals(2, stored.count(), "the built-in bundle's archive and record, nothing else");
        }
        DecideResponse decision = pdp.decisions().decide(DecideRequest.newBuilder()
                .setInput(ContractCase.named("allowed-logistics").input()).build());
        assertTrue(decision.getAllow());
        assertEquals(activeBefore, decision.getBundle().getDigest());
    }
}
