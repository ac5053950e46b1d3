package dev.redline.pdp.server.bundle;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;

class BundleReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The Wasm magic number and version: the reader carries the module bytes, it does not parse them. */
    private static final byte[] WASM = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

    private static final String MANIFEST = "{\"revision\":\"2024-06-01.3\","
            + "\"roots\":[\"contract\",\"shared\"],"
            + "\"wasm\":[{\"entrypoint\":\"contract/decision\",\"module\":\"/policy.wasm\"},"
            + "{\"entrypoint\":\"contract/allow\",\"module\":\"/policy.wasm\"}]}";

    private static final int MIB = 1 << 20;

    /** Generous for every small archive built here; each limit test tightens the one it exercises. */
    private static final BundleLimits SMALL = new BundleLimits(MIB, MIB, 64 * 1024, 16);

    /** Files up to 1 MiB, for manifests larger than SMALL allows. */
    private static final BundleLimits ROOMY_FILES = new BundleLimits(MIB, MIB, MIB, 16);

    private static final String NOT_AN_ARCHIVE = "bundle is not a valid gzipped tar archive: ";

    // ---- a valid bundle -------------------------------------------------------------------------

    private static byte[] validArchive() throws IOException {
        return new TarGz()
                .file(".manifest", MANIFEST)
                .file("policy.wasm", WASM)
                .file("data.json", "{\"shared\":{\"regions\":[\"eu\",\"us\"]}}")
                .file("contract/data.json", "{\"limits\":{\"max_batch\":3},\"enabled\":true}")
                .file("contract/decision.rego", "package contract\n")
                .build();
    }

    @Test
    void readsRevisionRootsAndWasmEntrypointsFromTheManifest() throws Exception {
        Bundle bundle = read(SMALL, validArchive());

        assertEquals(new BundleManifest("2024-06-01.3", List.of("contract", "shared"),
                List.of("contract/decision", "contract/allow")), bundle.manifest());
        assertEquals("2024-06-01.3", bundle.revision());
    }

    @Test
    void carriesThePolicyWasmBytesUnchanged() throws Exception {
        assertArrayEquals(WASM, read(SMALL, validArchive()).policyWasm());
    }

    @Test
    void digestIsSha256OfTheArchiveBytesAsReceived() throws Exception {
        byte[] archive = validArchive();

        String expected = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
        Bundle bundle = read(SMALL, archive);

        assertEquals(expected, bundle.digest());
        assertTrue(bundle.digest().matches("sha256:[0-9a-f]{64}"), bundle.digest());
    }

    @Test
    void mergesNestedDataFilesUnderThePathOfTheirDirectory() throws Exception {
        Bundle bundle = read(SMALL, validArchive());

        assertEquals(JSON.readTree("{\"shared\":{\"regions\":[\"eu\",\"us\"]},"
                + "\"contract\":{\"limits\":{\"max_batch\":3},\"enabled\":true}}"), JSON.readTree(bundle.dataJson()));
    }

    @Test
    void keepsTheNameSizeAndNoSignerOfAnUnsignedBundle() throws Exception {
        byte[] archive = validArchive();

        Bundle bundle = reader(SMALL).read("contract.tar.gz", archive);

        assertEquals("contract.tar.gz", bundle.name());
        assertEquals(archive.length, bundle.sizeBytes());
        assertEquals("", bundle.signedBy());
    }

    @Test
    void mergesDataFilesThatShareAnObjectWithoutConflict() throws Exception {
        byte[] archive = new TarGz()
                .file("policy.wasm", WASM)
                .file("data.json", "{\"contract\":{\"regions\":[\"eu\"]}}")
                .file("contract/data.json", "{\"limits\":{\"max_batch\":3}}")
                .build();

        assertEquals(JSON.readTree("{\"contract\":{\"regions\":[\"eu\"],\"limits\":{\"max_batch\":3}}}"),
                JSON.readTree(read(SMALL, archive).dataJson()));
    }

    @Test
    void aBundleWithoutManifestHasAnEmptyRevisionAndOwnsEveryPath() throws Exception {
        Bundle bundle = read(SMALL, new TarGz().file("policy.wasm", WASM).build());

        assertEquals(new BundleManifest("", List.of(""), List.of()), bundle.manifest());
    }

    @Test
    void aBundleWithoutDataFilesHasAnEmptyDataDocument() throws Exception {
        Bundle bundle = read(SMALL, new TarGz().file("policy.wasm", WASM).build());

        assertEquals("{}", new String(bundle.dataJson(), UTF_8));
    }

    @Test
    void skipsDirectoryEntries() throws Exception {
        byte[] archive = new TarGz()
                .directory("contract/")
                .file("policy.wasm", WASM)
                .file("contract/data.json", "{\"enabled\":true}")
                .build();

        assertEquals(JSON.readTree("{\"contract\":{\"enabled\":true}}"), JSON.readTree(read(SMALL, archive).dataJson()));
    }

    // ---- not an archive -------------------------------------------------------------------------

    @Test
    void refusesBytesThatAreNotGzip() {
        String message = refusal(SMALL, "this is a plain text file, not a bundle".getBytes(UTF_8));

        assertTrue(message.startsWith(NOT_AN_ARCHIVE), message);
    }

    @Test
    void refusesGzipWhoseContentIsNotATarArchive() throws Exception {
        byte[] text = "x".repeat(2000).getBytes(UTF_8);

        String message = refusal(SMALL, gzip(text));

        assertTrue(message.startsWith(NOT_AN_ARCHIVE), message);
    }

    @Test
    void refusesGzipOfShortTextAsNotATarArchive() throws Exception {
        String message = refusal(SMALL, gzip("hello world".getBytes(UTF_8)));

        assertTrue(message.startsWith(NOT_AN_ARCHIVE), message);
    }

    // ---- entry paths ----------------------------------------------------------------------------

    @Test
    void refusesEntryEscapingTheBundleWithDotDot() throws Exception {
        byte[] archive = new TarGz().file("policy.wasm", WASM).file("../evil", "x").build();

        assertEquals("bundle entry ../evil has an unsafe path", refusal(SMALL, archive));
    }

    @Test
    void refusesEntryEscapingTheBundleWithDotDotInTheMiddle() throws Exception {
        byte[] archive = new TarGz().file("policy.wasm", WASM).file("contract/../../etc/passwd", "x").build();

        assertEquals("bundle entry contract/../../etc/passwd has an unsafe path", refusal(SMALL, archive));
    }

    @Test
    void refusesEntryWithAnEmptyPathSegment() throws Exception {
        byte[] archive = new TarGz().file("policy.wasm", WASM).file("//etc/passwd", "x").build();

        assertEquals("bundle entry //etc/passwd has an unsafe path", refusal(SMALL, archive));
    }

    @Test
    void refusesEntryWithABackslash() throws Exception {
        byte[] archive = new TarGz().file("policy.wasm", WASM).file("contract\\..\\evil", "x").build();

        assertEquals("bundle entry contract\\..\\evil has an unsafe path", refusal(SMALL, archive));
    }

    @Test
    void acceptsAnAbsoluteEntryPathAsRelativeToTheBundleRoot() throws Exception {
        byte[] archive = new TarGz()
                .file("/.manifest", MANIFEST)
                .file("/policy.wasm", WASM)
                .file("/contract/data.json", "{\"enabled\":true}")
                .build();

        Bundle bundle = read(SMALL, archive);

        assertArrayEquals(WASM, bundle.policyWasm());
        assertEquals("2024-06-01.3", bundle.revision());
        assertEquals(JSON.readTree("{\"contract\":{\"enabled\":true}}"), JSON.readTree(bundle.dataJson()));
    }

    @Test
    void acceptsEntryPathsStartingWithDotSlash() throws Exception {
        byte[] archive = new TarGz().file("./policy.wasm", WASM).file("./data.json", "{\"a\":1}").build();

        Bundle bundle = read(SMALL, archive);

        assertArrayEquals(WASM, bundle.policyWasm());
        assertEquals(JSON.readTree("{\"a\":1}"), JSON.readTree(bundle.dataJson()));
    }

    // ---- entry types ----------------------------------------------------------------------------

    @Test
    void refusesASymlinkEntry() throws Exception {
        byte[] archive = new TarGz().file("policy.wasm", WASM).symlink("contract/secrets", "/etc/shadow").build();

        assertEquals("bundle entry contract/secrets is not a regular file (links and devices are refused)",
                refusal(SMALL, archive));
    }

    @Test
    void refusesAHardLinkEntry() throws Exception {
        byte[] archive = new TarGz().file("policy.wasm", WASM).hardLink("copy.wasm", "policy.wasm").build();

        assertEquals("bundle entry copy.wasm is not a regular file (links and devices are refused)",
                refusal(SMALL, archive));
    }

    @Test
    void refusesACharacterDeviceEntry() throws Exception {
        byte[] archive = new TarGz().file("policy.wasm", WASM).special("dev/null", TarConstants.LF_CHR).build();

        assertEquals("bundle entry dev/null is not a regular file (links and devices are refused)",
                refusal(SMALL, archive));
    }

    @Test
    void refusesABlockDeviceEntry() throws Exception {
        byte[] archive = new TarGz().file("policy.wasm", WASM).special("dev/sda", TarConstants.LF_BLK).build();

        assertEquals("bundle entry dev/sda is not a regular file (links and devices are refused)",
                refusal(SMALL, archive));
    }

    @Test
    void refusesAFifoEntry() throws Exception {
        byte[] archive = new TarGz().file("policy.wasm", WASM).special("pipe", TarConstants.LF_FIFO).build();

        assertEquals("bundle entry pipe is not a regular file (links and devices are refused)", refusal(SMALL, archive));
    }

    @Test
    void refusesADuplicateEntry() throws Exception {
        byte[] archive = new TarGz()
                .file("policy.wasm", WASM)
                .file("data.json", "{\"a\":1}")
                .file("data.json", "{\"a\":2}")
                .build();

        assertEquals("bundle entry data.json appears twice", refusal(SMALL, archive));
    }

    @Test
    void refusesTwoEntriesThatNormalizeToTheSamePath() throws Exception {
        byte[] archive = new TarGz().file("policy.wasm", WASM).file("./policy.wasm", new byte[] {1}).build();

        assertEquals("bundle entry policy.wasm appears twice", refusal(SMALL, archive));
    }

    // ---- content --------------------------------------------------------------------------------

    @Test
    void refusesABundleWithoutPolicyWasm() throws Exception {
        byte[] archive = new TarGz().file(".manifest", MANIFEST).file("data.json", "{}").build();

        assertEquals("bundle has no /policy.wasm: build it with `opa build -t wasm -e <entrypoint>`",
                refusal(SMALL, archive));
    }

    @Test
    void refusesAManifestThatIsNotJson() throws Exception {
        byte[] archive = new TarGz().file(".manifest", "revision: 1").file("policy.wasm", WASM).build();

        String message = refusal(SMALL, archive);

        assertTrue(message.startsWith(".manifest is not valid JSON: "), message);
    }

    @Test
    void refusesAManifestThatIsNotAnObject() throws Exception {
        byte[] archive = new TarGz().file(".manifest", "[\"contract\"]").file("policy.wasm", WASM).build();

        assertEquals(".manifest must be a JSON object", refusal(SMALL, archive));
    }

    @Test
    void refusesAManifestRevisionThatIsNotAString() throws Exception {
        byte[] archive = new TarGz().file(".manifest", "{\"revision\":7}").file("policy.wasm", WASM).build();

        assertEquals(".manifest revision must be a string", refusal(SMALL, archive));
    }

    @Test
    void refusesManifestRootsThatAreNotAnArray() throws Exception {
        byte[] archive = new TarGz().file(".manifest", "{\"roots\":\"contract\"}").file("policy.wasm", WASM).build();

        assertEquals(".manifest roots must be an array of strings", refusal(SMALL, archive));
    }

    @Test
    void refusesManifestRootsThatAreNotStrings() throws Exception {
        byte[] archive = new TarGz().file(".manifest", "{\"roots\":[\"contract\",3]}").file("policy.wasm", WASM).build();

        assertEquals(".manifest roots must be strings", refusal(SMALL, archive));
    }

    @Test
    void refusesOverlappingManifestRoots() throws Exception {
        byte[] archive = new TarGz()
                .file(".manifest", "{\"roots\":[\"contract\",\"contract/limits\"]}")
                .file("policy.wasm", WASM)
                .build();

        assertEquals(".manifest roots \"contract\" and \"contract/limits\" overlap", refusal(SMALL, archive));
    }

    @Test
    void acceptsAManifestRevisionOfExactlyTheLimit() throws Exception {
        String revision = "r".repeat(BundleManifest.MAX_REVISION_BYTES);

        assertEquals(revision, read(SMALL, manifestOnly("{\"revision\":\"" + revision + "\"}")).revision());
    }

    @Test
    void refusesAManifestRevisionOverTheLimitNamingItsSizeInBytes() throws Exception {
        // 129 two-byte characters: within the limit in chars, over it in UTF-8 bytes.
        String revision = "\u00e9".repeat(129);

        assertEquals(".manifest revision is 258 bytes; the limit is 256 bytes",
                refusal(SMALL, manifestOnly("{\"revision\":\"" + revision + "\"}")));
    }

    @Test
    void refusesAManifestWithMoreRootsThanTheLimit() throws Exception {
        String roots = IntStream.rangeClosed(0, BundleManifest.MAX_ROOTS).mapToObj(i -> "\"r" + i + "\"")
                .collect(Collectors.joining(","));

        assertEquals(".manifest has 257 roots; the limit is 256",
                refusal(SMALL, manifestOnly("{\"roots\":[" + roots + "]}")));
    }

    @Test
    void refusesAManifestRootLongerThanTheLimitNamingItsIndex() throws Exception {
        String root = "a".repeat(BundleManifest.MAX_PATH_BYTES + 1);

        assertEquals(".manifest roots[1] is 1025 bytes; the limit is 1024 bytes",
                refusal(SMALL, manifestOnly("{\"roots\":[\"contract\",\"" + root + "\"]}")));
    }

    @Test
    void refusesAWasmEntrypointLongerThanTheLimitNamingItsIndex() throws Exception {
        String entrypoint = "a/".repeat(BundleManifest.MAX_PATH_BYTES / 2) + "b";

        assertEquals(".manifest wasm[0].entrypoint is 1025 bytes; the limit is 1024 bytes", refusal(SMALL,
                manifestOnly("{\"wasm\":[{\"entrypoint\":\"" + entrypoint + "\",\"module\":\"/policy.wasm\"}]}")));
    }

    @Test
    void refusesAManifestWithMoreWasmEntriesThanTheLimit() throws Exception {
        String modules = IntStream.rangeClosed(0, BundleManifest.MAX_WASM_ENTRIES)
                .mapToObj(i -> "{\"entrypoint\":\"e/" + i + "\",\"module\":\"/policy.wasm\"}")
                .collect(Collectors.joining(","));

        assertEquals(".manifest has 257 wasm entries; the limit is 256",
                refusal(SMALL, manifestOnly("{\"wasm\":[" + modules + "]}")));
    }

    @Test
    void refusesManifestMetadataLargerThanTheLimitAsCompactJson() throws Exception {
        // {"k":"..."} is 8 bytes of JSON around the value.
        String value = "v".repeat(BundleManifest.MAX_METADATA_BYTES - 7);

        assertEquals(".manifest metadata is 65537 bytes as compact JSON; the limit is 65536 bytes",
                refusal(ROOMY_FILES, manifestOnly("{\"metadata\": {\"k\": \"" + value + "\"}}")));
    }

    @Test
    void acceptsManifestMetadataOfExactlyTheLimit() throws Exception {
        String value = "v".repeat(BundleManifest.MAX_METADATA_BYTES - 8);

        read(ROOMY_FILES, manifestOnly("{\"metadata\": {\"k\": \"" + value + "\"}}"));
    }

    @Test
    void refusesAWasmModuleWithoutEntrypoint() throws Exception {
        byte[] archive = new TarGz()
                .file(".manifest", "{\"wasm\":[{\"module\":\"/policy.wasm\"}]}")
                .file("policy.wasm", WASM)
                .build();

        assertEquals(".manifest wasm entries must name an entrypoint", refusal(SMALL, archive));
    }

    @Test
    void refusesADataFileThatIsNotAnObject() throws Exception {
        byte[] archive = new TarGz().file("policy.wasm", WASM).file("data.json", "[1,2]").build();

        assertEquals("data.json must hold a JSON object", refusal(SMALL, archive));
    }

    @Test
    void refusesANestedDataFileThatIsNotAnObject() throws Exception {
        byte[] archive = new TarGz().file("policy.wasm", WASM).file("contract/data.json", "\"on\"").build();

        assertEquals("contract/data.json must hold a JSON object", refusal(SMALL, archive));
    }

    @Test
    void refusesADataFileThatIsNotJson() throws Exception {
        byte[] archive = new TarGz().file("policy.wasm", WASM).file("contract/data.json", "{enabled").build();

        String message = refusal(SMALL, archive);

        assertTrue(message.startsWith("contract/data.json is not valid JSON: "), message);
    }

    @Test
    void refusesTwoDataFilesDefiningTheSameKey() throws Exception {
        byte[] archive = new TarGz()
                .file("policy.wasm", WASM)
                .file("data.json", "{\"contract\":{\"max_batch\":1}}")
                .file("contract/data.json", "{\"max_batch\":2}")
                .build();

        assertEquals("contract/data.json redefines data key max_batch", refusal(SMALL, archive));
    }

    @Test
    void refusesADataDirectoryThatCollidesWithAValue() throws Exception {
        byte[] archive = new TarGz()
                .file("policy.wasm", WASM)
                .file("data.json", "{\"contract\":\"off\"}")
                .file("contract/data.json", "{\"enabled\":true}")
                .build();

        assertEquals("contract/data.json collides with data at contract", refusal(SMALL, archive));
    }

    // ---- limits ---------------------------------------------------------------------------------

    @Test
    void refusesAnEntryOverThePerFileLimit() throws Exception {
        BundleLimits limits = new BundleLimits(MIB, MIB, 1024, 16);
        byte[] archive = new TarGz().file("policy.wasm", new byte[1025]).build();

        assertEquals("bundle entry policy.wasm is larger than the limit of 1024 bytes", refusal(limits, archive));
    }

    @Test
    void acceptsAnEntryExactlyAtThePerFileLimit() throws Exception {
        BundleLimits limits = new BundleLimits(MIB, MIB, 1024, 16);
        byte[] wasm = new byte[1024];
        Arrays.fill(wasm, (byte) 7);

        assertArrayEquals(wasm, read(limits, new TarGz().file("policy.wasm", wasm).build()).policyWasm());
    }

    @Test
    void refusesFilesThatTogetherExpandPastTheLimit() throws Exception {
        BundleLimits limits = new BundleLimits(MIB, 3000, 2000, 16);
        byte[] archive = new TarGz()
                .file("policy.wasm", new byte[1500])
                .file("contract/a.rego", new byte[1500])
                .file("contract/b.rego", new byte[1500])
                .build();

        assertEquals("bundle expands to more than the limit of 3000 bytes", refusal(limits, archive));
    }

    @Test
    void acceptsFilesThatTogetherExpandExactlyToTheLimit() throws Exception {
        BundleLimits limits = new BundleLimits(MIB, 3000, 2000, 16);
        byte[] archive = new TarGz().file("policy.wasm", new byte[1500]).file("contract/a.rego", new byte[1500]).build();

        assertEquals(1500, read(limits, archive).policyWasm().length);
    }

    @Test
    void refusesAGzipBombNamingTheExpandedSizeLimit() throws Exception {
        BundleLimits limits = new BundleLimits(MIB, MIB, 64L * MIB, 16);
        byte[] bomb = new TarGz().file(".manifest", MANIFEST).zeros("policy.wasm", 50L * MIB).build();
        assertTrue(bomb.length < MIB, "premise: 50 MiB of zeros compress below the 1 MiB archive limit, got "
                + bomb.length);

        assertEquals("bundle expands to more than the limit of 1048576 bytes", refusal(limits, bomb));
    }

    @Test
    void refusesAGzipBombInOneEntryNamingThePerFileLimit() throws Exception {
        BundleLimits limits = new BundleLimits(MIB, 256L * MIB, MIB, 16);
        byte[] bomb = new TarGz().zeros("policy.wasm", 50L * MIB).build();

        assertEquals("bundle entry policy.wasm is larger than the limit of 1048576 bytes", refusal(limits, bomb));
    }

    /**
     * Proves the reader stops inflating at the limit instead of expanding the whole bomb first: the
     * second half of this archive is cut off, so a reader that went on past the first megabyte would
     * fail on the truncated stream and say so instead of naming the limit.
     */
    @Test
    void stopsInflatingAGzipBombOnceItPassesTheLimit() throws Exception {
        BundleLimits limits = new BundleLimits(MIB, MIB, 64L * MIB, 16);
        byte[] bomb = new TarGz().zeros("policy.wasm", 50L * MIB).build();
        byte[] firstHalf = Arrays.copyOf(bomb, bomb.length / 2);
        BundleLimits unbounded = new BundleLimits(MIB, 256L * MIB, 256L * MIB, 16);
        assertTrue(refusal(unbounded, firstHalf).startsWith(NOT_AN_ARCHIVE),
                "premise: a reader that inflates the truncated bomb to its end reports a broken archive");

        assertEquals("bundle expands to more than the limit of 1048576 bytes", refusal(limits, firstHalf));
    }

    @Test
    void refusesMoreFilesThanTheLimit() throws Exception {
        BundleLimits limits = new BundleLimits(MIB, MIB, 64 * 1024, 3);
        byte[] archive = new TarGz()
                .file(".manifest", MANIFEST)
                .file("policy.wasm", WASM)
                .file("data.json", "{}")
                .file("contract/decision.rego", "package contract\n")
                .build();

        assertEquals("bundle has more than 3 files", refusal(limits, archive));
    }

    @Test
    void acceptsExactlyTheFileLimitWithoutCountingDirectories() throws Exception {
        BundleLimits limits = new BundleLimits(MIB, MIB, 64 * 1024, 3);
        byte[] archive = new TarGz()
                .directory("contract/")
                .directory("shared/")
                .file(".manifest", MANIFEST)
                .file("policy.wasm", WASM)
                .file("contract/data.json", "{}")
                .build();

        assertArrayEquals(WASM, read(limits, archive).policyWasm());
    }

    @Test
    void refusesAnArchiveOverTheArchiveSizeLimit() throws Exception {
        byte[] archive = validArchive();
        BundleLimits limits = new BundleLimits(archive.length - 1, MIB, 64 * 1024, 16);

        assertEquals("bundle is " + archive.length + " bytes; the limit is " + (archive.length - 1),
                refusal(limits, archive));
    }

    @Test
    void acceptsAnArchiveExactlyAtTheArchiveSizeLimit() throws Exception {
        byte[] archive = validArchive();
        BundleLimits limits = new BundleLimits(archive.length, MIB, 64 * 1024, 16);

        assertEquals(archive.length, read(limits, archive).sizeBytes());
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static byte[] manifestOnly(String manifest) throws IOException {
        return new TarGz().file(".manifest", manifest).file("policy.wasm", WASM).build();
    }

    private static BundleReader reader(BundleLimits limits) {
        return new BundleReader(JSON, limits, SignaturePolicy.none());
    }

    private static Bundle read(BundleLimits limits, byte[] archive) throws InvalidBundleException {
        return reader(limits).read("test.tar.gz", archive);
    }

    private static String refusal(BundleLimits limits, byte[] archive) {
        return assertThrows(InvalidBundleException.class, () -> read(limits, archive)).getMessage();
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(bytes)) {
            gzip.write(content);
        }
        return bytes.toByteArray();
    }

}
