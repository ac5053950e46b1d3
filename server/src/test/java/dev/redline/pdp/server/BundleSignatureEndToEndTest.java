package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.AdminCalls;
import dev.redline.pdp.server.harness.RunningPdp;
import dev.redline.pdp.server.harness.SignedBundles;
import dev.redline.pdp.server.harness.SigningKeys;
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
import dev.redline.pdp.server.bundle.SignaturePolicy;
import dev.redline.pdp.server.config.ConfigFile;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.config.PolicySourceConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed bundles end to end: bundles signed by the real opa CLI with keys made here, pushed over
 * the admin gRPC API to a PDP that requires signatures. A bundle is accepted only when its one
 * signature verifies with the configured key its key id names and covers exactly the files it
 * holds; every refusal names the reason, shows in GetStatus, and leaves the previous bundle
 * deciding.
 *
 * <p>Each PDP trusts three keys: {@code ci} (RS256), {@code ci-ec} (ES256) and {@code ci-hmac}
 * (HS256), and starts on the {@code v1} bundle signed by {@code ci}.
 */
class BundleSignatureEndToEndTest {
    @TempDir
    static Path work;

    private static SigningKeys.SigningKey ci;
    private static SigningKeys.SigningKey ciEc;
    private static SigningKeys.SigningKey ciHmac;
    private static SigningKeys.SigningKey stranger;

    /** Release v1, signed by ci: what every PDP here starts on. */
    private static Path startupBundle;
    private static Path rsaSigned;
    private static Path ecSigned;
    private static Path hmacSigned;
    private static Path unsigned;
    private static Path signedByUnknownKeyId;
    private static Path signedByAnotherKeyAsCi;
    private static Path hmacSignedWithCiPublicKey;

    @TempDir
    Path dataDir;

    private RunningPdp pdp;
    private AdminCalls admin;

    @BeforeAll
    static void makeKeysAndSignBundles() throws Exception {
        Path keys = work.resolve("keys");
        ci = SigningKeys.rsa(keys, "ci");
        ciEc = SigningKeys.ecP256(keys, "ci-ec");
        ciHmac = SigningKeys.hmacSecret(keys, "ci-hmac");
        stranger = SigningKeys.rsa(keys, "stranger");

        startupBundle = SignedBundles.signed(work.resolve("startup"), "v1", ci.signingKey(), "RS256", "ci");
        rsaSigned = SignedBundles.signed(work.resolve("rsa"), "v2-rsa", ci.signingKey(), "RS256", "ci");
        ecSigned = SignedBundles.signed(work.resolve("ec"), "v2-ec", ciEc.signingKey(), "ES256", "ci-ec");
        hmacSigned = SignedBundles.signed(work.resolve("hmac"), "v2-hmac", ciHmac.signingKey(), "HS256", "ci-hmac");
        unsigned = SignedBundles.unsigned(work.resolve("unsigned"), "v2-unsigned");
        signedByUnknownKeyId = SignedBundles.signed(work.resolve("unknown-kid"), "v2-unknown-kid", ci.signingKey(),
                "RS256", "release-bot");
        signedByAnotherKeyAsCi = SignedBundles.signed(work.resolve("another-key"), "v2-another-key",
                stranger.signingKey(), "RS256", "ci");
        // The classic algorithm-confusion forgery: an HMAC keyed with the (public!) RSA key of ci.
        hmacSignedWithCiPublicKey = SignedBundles.signed(work.resolve("confused"), "v2-confused",
                keys.resolve("ci.pub.pem"), "HS256", "ci");
    }

    private PdpConfig requiringSignatures(Path bundle) {
        SignaturePolicy signatures = new SignaturePolicy(true, Map.of(
                "ci", ci.verificationKey("ci"),
                "ci-ec", ciEc.verificationKey("ci-ec"),
                "ci-hmac", ciHmac.verificationKey("ci-hmac")));
        return PdpConfig.defaults().withInstances(1).withBundle(bundle)
                .withPolicy(new PolicySourceConfig(dataDir, 10, signatures, Optional.empty()));
    }

    @BeforeEach
    void startOnTheSignedV1Bundle() throws Exception {
        pdp = RunningPdp.start(requiringSignatures(startupBundle));
        admin = AdminCalls.forPdp(pdp.server, dataDir);
    }

    @AfterEach
    void stop() throws Exception {
        admin.close();
        pdp.close();
    }

    // --- accepted -----------------------------------------------------------------------------

    @Test
    void acceptsAnRs256SignedBundleAndReportsItsKeyId() throws Exception {
        assertAcceptedAndDeciding(rsaSigned, "ci", "v2-rsa");
    }

    @Test
    void acceptsAnEs256SignedBundleAndReportsItsKeyId() throws Exception {
        assertAcceptedAndDeciding(ecSigned, "ci-ec", "v2-ec");
    }

    @Test
    void acceptsAnHs256BundleSignedWithTheSharedSecretFileAndReportsItsKeyId() throws Exception {
        assertAcceptedAndDeciding(hmacSigned, "ci-hmac", "v2-hmac");
    }

    @Test
    void theSignedStartupBundleDecidesAndIsListedAsSignedByItsKeyId() {
        DecideResponse decision = decide();

        assertEquals("v1", release(decision));
        assertEquals("sig-v1", decision.getBundle().getRevision());
        StoredBundle listed = admin.list().get(0);
        assertEquals(decision.getBundle().getDigest(), listed.getDigest());
        assertEquals("ci", listed.getSignedBy());
        assertEquals("startup", listed.getPushedBy());
        assertTrue(listed.getActive());
    }

    @Test
    void acceptsADataFileReformattedAfterSigningBecauseJsonFilesAreHashedCanonicallyAsOpaDoes() throws Exception {
        // Same JSON value as the signed {"sig": {"release": "v2-rsa"}}: other white space, other layout.
        byte[] reformatted = SignedBundles.withFile(rsaSigned, "data.json",
                "{\n  \"sig\" : {\n    \"release\" : \"v2-rsa\"\n  }\n}\n".getBytes(StandardCharsets.UTF_8));

        PushBundleResponse pushed = admin.push("reformatted.tar.gz", reformatted, true);

        assertTrue(pushed.getActivated());
        assertEquals("ci", pushed.getBundle().getSignedBy());
        assertEquals("v2-rsa", release(decide()));
    }


    @Test
    void acceptsAnRs256BundleWithTheKeyConfiguredAsAPemPublicKeyFile(@TempDir Path otherDataDir) throws Exception {
        assertAcceptedWithKeyFileSpec(otherDataDir, "ci:RS256:" + ci.verificationKeyFile(), rsaSigned, "ci");
    }

    @Test
    void acceptsAnEs256BundleWithTheKeyConfiguredAsAPemPublicKeyFile(@TempDir Path otherDataDir) throws Exception {
        assertAcceptedWithKeyFileSpec(otherDataDir, "ci-ec:ES256:" + ciEc.verificationKeyFile(), ecSigned, "ci-ec");
    }

    @Test
    void acceptsAnHs256BundleWithTheKeyConfiguredAsASecretFile(@TempDir Path otherDataDir) throws Exception {
        assertAcceptedWithKeyFileSpec(otherDataDir, "ci-hmac:HS256:" + ciHmac.verificationKeyFile(), hmacSigned,
                "ci-hmac");
    }

    /** Configures the key as an operator does (ID:ALG:FILE, --require-signatures) and pushes the bundle to that PDP. */
    private static void assertAcceptedWithKeyFileSpec(Path otherDataDir, String keySpec, Path bundle, String keyId)
            throws Exception {
        PdpConfig configured = ConfigFile.fromKeys(Map.of("data-dir", otherDataDir.toString(),
                "verification-keys", List.of(keySpec), "require-signatures", true), "test")
                .applyTo(PdpConfig.defaults().withInstances(1));
        try (RunningPdp other = RunningPdp.start(configured.withBundle(bundle));
                AdminCalls otherAdmin = AdminCalls.forPdp(other.server, otherDataDir)) {
            StoredBundle active = otherAdmin.status().getActive();
            assertEquals(keyId, active.getSignedBy());
            assertEquals(sha256(Files.readAllBytes(bundle)), active.getDigest());
        }
    }

    // --- refused ------------------------------------------------------------------------------

    @Test
    void refusesToStartOnAnUnsignedBundleFileWhenSignaturesAreRequired(@TempDir Path otherDataDir) {
        PdpConfig config = requiringSignatures(unsigned).withDataDir(otherDataDir);

        PdpServer.StartupException e = assertThrows(PdpServer.StartupException.class, () -> RunningPdp.start(config));

        assertTrue(e.getMessage().contains("bundle is not signed, and this PDP requires signed bundles"),
                e.getMessage());
    }

    @Test
    void refusesAnUnsignedBundleSayingItIsNotSigned() throws Exception {
        assertRefused(Files.readAllBytes(unsigned),
                "bundle is not signed, and this PDP requires signed bundles");
    }

    @Test
    void refusesABundleSignedUnderAnUnknownKeyIdNamingTheKeyId() throws Exception {
        assertRefused(Files.readAllBytes(signedByUnknownKeyId),
                "bundle is signed with key id \"release-bot\", which is not a configured verification key"
                        + " (configured: ci, ci-ec, ci-hmac)");
    }

    @Test
    void refusesABundleSignedWithAnotherKeyUnderAConfiguredKeyId() throws Exception {
        assertRefused(Files.readAllBytes(signedByAnotherKeyAsCi),
                "bundle signature does not verify with key \"ci\"");
    }

    @Test
    void refusesAnHmacSignatureMadeWithThePublicKeyOfAnRsaKeyId() throws Exception {
        assertRefused(Files.readAllBytes(hmacSignedWithCiPublicKey),
                "bundle signature uses HS256 but key \"ci\" is configured for RS256");
    }

    @Test
    void refusesABundleWhoseDataWasChangedAfterSigningNamingTheFile() throws Exception {
        byte[] tampered = SignedBundles.withFile(rsaSigned, "data.json",
                "{\"sig\": {\"release\": \"v2-tampered\"}}\n".getBytes(StandardCharsets.UTF_8));

        assertRefused(tampered, "bundle file data.json does not match its signed SHA-256 hash: it was changed after signing");
    }

    @Test
    void refusesABundleWhosePolicyWasmWasChangedAfterSigningNamingTheFile() throws Exception {
        byte[] wasm = SignedBundles.files(Files.readAllBytes(rsaSigned)).get("policy.wasm");
        byte[] patched = wasm.clone();
        patched[patched.length - 1] ^= 0x01;
        byte[] tampered = SignedBundles.withFile(rsaSigned, "policy.wasm", patched);

        assertRefused(tampered, "bundle file policy.wasm does not match its signed SHA-256 hash: it was changed after signing");
    }

    @Test
    void refusesAFileAddedAfterSigningNamingIt() throws Exception {
        byte[] extended = SignedBundles.withFile(rsaSigned, "extra/data.json",
                "{\"backdoor\": true}".getBytes(StandardCharsets.UTF_8));

        assertRefused(extended, "bundle files not covered by the signature: [extra/data.json]");
    }

    @Test
    void refusesASignedFileRemovedFromTheBundleNamingIt() throws Exception {
        byte[] stripped = SignedBundles.withoutFile(rsaSigned, "data.json");

        assertRefused(stripped, "signed files missing from the bundle: [data.json]");
    }

    // --- helpers --------------------------------------------------------------------------------

    private void assertAcceptedAndDeciding(Path bundle, String keyId, String release) throws Exception {
        PushBundleResponse pushed = admin.push(bundle, true);

        assertTrue(pushed.getActivated());
        assertEquals(keyId, pushed.getBundle().getSignedBy());
        assertEquals(sha256(Files.readAllBytes(bundle)), pushed.getBundle().getDigest());
        assertTrue(pushed.getValidatedList().contains("signature: key " + keyId), pushed.getValidatedList().toString());

        DecideResponse decision = decide();
        assertEquals(release, release(decision));
        assertEquals(pushed.getBundle().getDigest(), decision.getBundle().getDigest());
        assertEquals("sig-" + release, decision.getBundle().getRevision());

        StoredBundle listed = admin.list().stream()
                .filter(b -> b.getDigest().equals(pushed.getBundle().getDigest())).findFirst().orElseThrow();
        assertEquals(keyId, listed.getSignedBy());
        assertTrue(listed.getActive());
    }

    /** The push is INVALID_ARGUMENT with the reason; status shows it; v1 keeps deciding; nothing is stored. */
    private void assertRefused(byte[] archive, String reason) throws Exception {
        DecideResponse before = decide();
        assertEquals("v1", release(before));

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> admin.push("refused.tar.gz", archive, true));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        String description = e.getStatus().getDescription();
        assertTrue(description.startsWith("bundle refused.tar.gz refused: ") && description.contains(reason), description);

        PolicyStatus status = admin.status();
        assertTrue(status.getLastError().getMessage().contains(reason), status.getLastError().getMessage());
        assertEquals("push", status.getLastError().getSource());
        assertEquals(before.getBundle().getDigest(), status.getActive().getDigest());

        DecideResponse after = decide();
        assertEquals("v1", release(after));
        assertEquals(before.getBundle().getDigest(), after.getBundle().getDigest());

        String refusedDigest = sha256(archive);
        assertFalse(admin.list().stream().anyMatch(b -> b.getDigest().equals(refusedDigest)),
                "a refused bundle must not be stored");
    }

    private DecideResponse decide() {
        return pdp.decisions().decide(DecideRequest.newBuilder().setPath(SignedBundles.ENTRYPOINT)
                .setInput(Struct.getDefaultInstance()).build());
    }

    private static String release(DecideResponse decision) {
        return decision.getResult().getStructValue().getFieldsOrThrow("release").getStringValue();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
