package dev.redline.pdp.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import dev.redline.pdp.server.audit.shipping.ShippingSettings;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.engine.EngineLimits;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    @TempDir
    Path dir;

    // ---- every key ------------------------------------------------------------------------------

    /** A config file setting every key, each to a value different from its default. */
    private PdpConfig everyKeyApplied() throws Exception {
        Path key = dir.resolve("ci.key");
        Files.writeString(key, "0123456789abcdef0123456789abcdef", StandardCharsets.US_ASCII);
        Path token = dir.resolve("bundle-server.token");
        Files.writeString(token, "  s3cr3t-token\n");
        Path file = yaml(String.join("\n",
                "bind: 0.0.0.0",
                "port: 9300",
                "bundle: /etc/pdp/contract.tar.gz",
                "instances: 3",
                "eval-timeout: 150ms",
                "warmup-timeout: 3s",
                "queue-timeout: 2s",
                "max-input-bytes: 65536",
                "max-memory-bytes: 134217728",
                "max-batch: 16",
                "max-client-concurrency: 32",
                "max-message-bytes: 4194304",
                "data-dir: /var/lib/pdp",
                "admin-port: 9400",
                "admin-tokens: /etc/pdp/admin.tokens",
                "allow-readable-secrets: true",
                "keep-bundles: 5",
                "max-bundle-bytes: 1048576",
                "max-bundle-expanded-bytes: 4194304",
                "max-bundle-file-bytes: 2097152",
                "max-bundle-files: 50",
                "verification-keys: [ \"ci:HS256:" + key + "\" ]",
                "require-signatures: true",
                "bundle-url: https://bundles.example/contract.tar.gz",
                "poll-min-delay: 5s",
                "poll-max-delay: 1m",
                "bundle-url-token-file: " + token,
                "audit-kafka-bootstrap-servers: k1:9092,k2:9092",
                "audit-kafka-topic: decisions",
                "audit-kafka-mode: replicated",
                "audit-kafka-timeout: 500ms",
                "shutdown-grace: 25s",
                ""));
        return ConfigFile.read(file).applyTo(PdpConfig.defaults());
    }

    @Test
    void appliesBindAndPort() throws Exception {
        PdpConfig config = everyKeyApplied();

        assertEquals("0.0.0.0", config.bind());
        assertEquals(9300, config.port());
    }

    @Test
    void appliesTheBundleFile() throws Exception {
        assertEquals(Optional.of(Path.of("/etc/pdp/contract.tar.gz")), everyKeyApplied().bundle());
    }

    @Test
    void appliesEveryEngineLimit() throws Exception {
        assertEquals(new EngineLimits(3, Duration.ofMillis(150), Duration.ofSeconds(2), 65_536, 134_217_728L,
                Duration.ofSeconds(3)),
                everyKeyApplied().limits());
    }

    @Test
    void appliesMaxBatchAndMaxMessageBytes() throws Exception {
        PdpConfig config = everyKeyApplied();

        assertEquals(16, config.maxBatchItems());
        assertEquals(4_194_304, config.maxMessageBytes());
    }

    @Test
    void appliesMaxClientConcurrency() throws Exception {
        assertEquals(32, everyKeyApplied().maxClientConcurrency());
    }

    @Test
    void aMaxClientConcurrencyOfZeroTurnsTheLimitOff() throws Exception {
        assertEquals(0, ConfigFile.read(yaml("max-client-concurrency: 0\n")).applyTo(PdpConfig.defaults())
                .maxClientConcurrency());
    }

    @Test
    void refusesANegativeMaxClientConcurrencyWhenApplied() throws Exception {
        ConfigFile file = ConfigFile.read(yaml("max-client-concurrency: -1\n"));

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> file.applyTo(PdpConfig.defaults()));

        assertEquals("max client concurrency must be 0 (no limit) or more, got -1", e.getMessage());
    }

    @Test
    void appliesTheShutdownGrace() throws Exception {
        assertEquals(Duration.ofSeconds(25), everyKeyApplied().shutdownGrace());
    }

    @Test
    void theShutdownGraceIsTenSecondsByDefault() {
        assertEquals(Duration.ofSeconds(10), PdpConfig.defaults().shutdownGrace());
    }

    @Test
    void appliesTheAdminPortAndTokenFile() throws Exception {
        PdpConfig config = everyKeyApplied();

        assertEquals(Optional.of(9400), config.adminPort());
        assertEquals(Optional.of(Path.of("/etc/pdp/admin.tokens")), config.adminTokens());
    }

    @Test
    void appliesAllowReadableSecrets() throws Exception {
        assertTrue(everyKeyApplied().allowReadableSecrets());
    }

    @Test
    void readableSecretsAreRefusedUnlessAllowed() {
        assertEquals(false, PdpConfig.defaults().allowReadableSecrets());
    }

    @Test
    void appliesTheDataDirAndHowManyBundlesToKeep() throws Exception {
        PolicySourceConfig policy = everyKeyApplied().policy();

        assertEquals(Path.of("/var/lib/pdp"), policy.dataDir());
        assertEquals(5, policy.keepBundles());
    }

    @Test
    void appliesEveryBundleLimit() throws Exception {
        assertEquals(new BundleLimits(1_048_576, 4_194_304, 2_097_152, 50), everyKeyApplied().policy().limits());
    }

    @Test
    void appliesTheDefaultBundleLimitsWhenNoneIsSet() throws Exception {
        assertEquals(new BundleLimits(64L << 20, 256L << 20, 128L << 20, 10_000),
                ConfigFile.read(yaml("port: 9300\n")).applyTo(PdpConfig.defaults()).policy().limits());
    }

    @Test
    void refusesABundleLimitBelowOneWhenApplied() throws Exception {
        ConfigFile file = ConfigFile.read(yaml("max-bundle-files: 0\n"));

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> file.applyTo(PdpConfig.defaults()));

        assertEquals("max-bundle-files must be at least 1, got 0", e.getMessage());
    }

    @Test
    void appliesVerificationKeysAndRequiredSignatures() throws Exception {
        PolicySourceConfig policy = everyKeyApplied().policy();

        assertTrue(policy.signatures().required());
        assertEquals(Set.of("ci"), policy.signatures().keys().keySet());
        assertEquals(JWSAlgorithm.HS256, policy.signatures().keys().get("ci").algorithm());
    }

    @Test
    void appliesTheBundleUrlPollDelaysAndStrippedToken() throws Exception {
        assertEquals(Optional.of(new PolicySourceConfig.Poll(URI.create("https://bundles.example/contract.tar.gz"),
                        Duration.ofSeconds(5), Duration.ofMinutes(1), Optional.of("s3cr3t-token"))),
                everyKeyApplied().policy().poll());
    }

    @Test
    void appliesTheKafkaShippingSettings() throws Exception {
        assertEquals(Optional.of(new ShippingSettings("k1:9092,k2:9092", "decisions", ShippingSettings.Mode.REPLICATED,
                Duration.ofMillis(500))), everyKeyApplied().shipping());
    }

    @Test
    void shipsInTheLocalModeWithTheDefaultTimeoutWhenOnlyServersAndTopicAreSet() throws Exception {
        ConfigFile file = ConfigFile.read(yaml("audit-kafka-bootstrap-servers: k1:9092\naudit-kafka-topic: decisions\n"));

        assertEquals(Optional.of(new ShippingSettings("k1:9092", "decisions", ShippingSettings.Mode.LOCAL,
                ShippingSettings.DEFAULT_ACK_TIMEOUT)), file.applyTo(PdpConfig.defaults()).shipping());
    }

    @Test
    void refusesAKafkaTopicWithoutBootstrapServersNamingBothKeys() throws Exception {
        ConfigFile file = ConfigFile.read(yaml("audit-kafka-topic: decisions\n"));

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> file.applyTo(PdpConfig.defaults()));

        assertTrue(e.getMessage().contains("--audit-kafka-bootstrap-servers") && e.getMessage().contains("--audit-kafka-topic"),
                e.getMessage());
    }

    @Test
    void refusesAnUnknownKafkaModeNamingTheAcceptedOnes() throws Exception {
        ConfigFile file = ConfigFile.read(yaml(
                "audit-kafka-bootstrap-servers: k1:9092\naudit-kafka-topic: decisions\naudit-kafka-mode: acknowledged\n"));

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> file.applyTo(PdpConfig.defaults()));

        assertEquals("unknown Kafka shipping mode 'acknowledged': use local or replicated", e.getMessage());
    }

    @Test
    void leavesKeysTheFileDoesNotSetAtTheirBaseValue() throws Exception {
        Path file = yaml("port: 9300\n");

        assertEquals(PdpConfig.defaults().withPort(9300), ConfigFile.read(file).applyTo(PdpConfig.defaults()));
    }

    @Test
    void readsJsonToo() throws Exception {
        Path file = yaml("{\"port\": 9300, \"eval-timeout\": \"PT0.5S\"}");

        PdpConfig config = ConfigFile.read(file).applyTo(PdpConfig.defaults());

        assertEquals(9300, config.port());
        assertEquals(Duration.ofMillis(500), config.limits().evalTimeout());
    }

    @Test
    void aDocumentWithNoKeysChangesNothing() throws Exception {
        Path file = yaml("---\n");

        assertEquals(PdpConfig.defaults(), ConfigFile.read(file).applyTo(PdpConfig.defaults()));
    }

    @Test
    void aFileWithOnlyCommentsChangesNothing() throws Exception {
        Path file = yaml("# every key left at its default\n");

        assertEquals(PdpConfig.defaults(), ConfigFile.read(file).applyTo(PdpConfig.defaults()));
    }

    // ---- refusals -------------------------------------------------------------------------------

    @Test
    void refusesAnUnknownKeyNamingIt() throws Exception {
        Path file = yaml("prot: 1\n");

        ConfigFile.InvalidConfigException e =
                assertThrows(ConfigFile.InvalidConfigException.class, () -> ConfigFile.read(file));

        assertTrue(e.getMessage().startsWith("config file " + file + ": Unrecognized field \"prot\""), e.getMessage());
    }

    @Test
    void refusesAnUnknownKeyGivenOutsideAFileTheSameWayNamingItsOrigin() {
        ConfigFile.InvalidConfigException e = assertThrows(ConfigFile.InvalidConfigException.class,
                () -> ConfigFile.fromKeys(java.util.Map.of("prot", 1), "flags"));

        assertTrue(e.getMessage().startsWith("flags: Unrecognized field \"prot\""), e.getMessage());
    }

    @Test
    void refusesAValueOfTheWrongTypeNamingTheKey() throws Exception {
        Path file = yaml("port: ninety\n");

        ConfigFile.InvalidConfigException e =
                assertThrows(ConfigFile.InvalidConfigException.class, () -> ConfigFile.read(file));

        assertTrue(e.getMessage().startsWith("config file " + file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("\"ninety\""), e.getMessage());
        assertTrue(e.getMessage().endsWith("[\"port\"]"), e.getMessage());
    }

    @Test
    void refusesAMissingFileNamingThePath() {
        Path missing = dir.resolve("absent/pdp.yaml");

        ConfigFile.InvalidConfigException e =
                assertThrows(ConfigFile.InvalidConfigException.class, () -> ConfigFile.read(missing));

        assertTrue(e.getMessage().startsWith("config file " + missing + " "), e.getMessage());
    }

    @Test
    void refusesAMissingFileSayingItDoesNotExist() {
        Path missing = dir.resolve("absent/pdp.yaml");

        ConfigFile.InvalidConfigException e =
                assertThrows(ConfigFile.InvalidConfigException.class, () -> ConfigFile.read(missing));

        assertEquals("config file " + missing + " does not exist", e.getMessage());
    }

    /** Range checks live in PdpConfig and EngineLimits: the file reads, and applying it is refused. */
    @Test
    void refusesAPortOutOfRangeWhenApplied() throws Exception {
        ConfigFile file = ConfigFile.read(yaml("port: 70000\n"));

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> file.applyTo(PdpConfig.defaults()));

        assertEquals("port must be between 0 and 65535, got 70000", e.getMessage());
    }

    @Test
    void refusesZeroInstancesWhenApplied() throws Exception {
        ConfigFile file = ConfigFile.read(yaml("instances: 0\n"));

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> file.applyTo(PdpConfig.defaults()));

        assertEquals("instances must be at least 1, got 0", e.getMessage());
    }

    @Test
    void refusesKeepingFewerThanTwoBundlesWhenApplied() throws Exception {
        ConfigFile file = ConfigFile.read(yaml("keep-bundles: 1\n"));

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> file.applyTo(PdpConfig.defaults()));

        assertEquals("keep-bundles must be at least 2 (the active one and a rollback), got 1", e.getMessage());
    }

    @Test
    void refusesAnUnreadableDurationWhenAppliedWithExamples() throws Exception {
        ConfigFile file = ConfigFile.read(yaml("eval-timeout: fast\n"));

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> file.applyTo(PdpConfig.defaults()));

        assertEquals("\"fast\" is not a duration; write e.g. 250ms, 2s, 1m, 6h, 30d or PT2S", e.getMessage());
    }

    @Test
    void refusesABundleUrlThatIsNotHttpWhenApplied() throws Exception {
        ConfigFile file = ConfigFile.read(yaml("bundle-url: ftp://bundles.example/contract.tar.gz\n"));

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> file.applyTo(PdpConfig.defaults()));

        assertEquals("bundle URL ftp://bundles.example/contract.tar.gz must be http or https", e.getMessage());
    }

    private Path yaml(String content) throws IOException {
        Path file = dir.resolve("pdp.yaml");
        Files.writeString(file, content);
        return file;
    }
}
