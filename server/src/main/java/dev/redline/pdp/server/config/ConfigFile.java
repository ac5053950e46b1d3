package dev.redline.pdp.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.redline.pdp.server.audit.AuditSettings;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import dev.redline.pdp.server.bundle.VerificationKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PDP's settings by config key, from a YAML (or JSON) config file or from the {@code pdp
 * serve} flags, which name the same keys and go through the same binding ({@link #fromKeys}).
 * Every key is optional; a key that is set overrides the default, and a flag overrides the file.
 * Unknown keys are refused so that a typo does not silently leave a limit at its default.
 *
 * <pre>
 * bind: 127.0.0.1
 * port: 9191
 * bundle: /etc/pdp/contract.tar.gz
 * instances: 2
 * eval-timeout: 200ms
 * queue-timeout: 1s
 * max-input-bytes: 1048576
 * max-memory-bytes: 268435456
 * max-batch: 128
 * max-batch-bytes: 4194304
 * max-message-bytes: 16777216
 * data-dir: ./pdp-data
 * admin-port: 9192
 * admin-tokens: ./pdp-data/admin.tokens
 * keep-bundles: 10
 * max-bundle-bytes: 67108864           # compressed archive
 * max-bundle-expanded-bytes: 268435456 # all files once decompressed
 * max-bundle-file-bytes: 134217728     # any one file once decompressed
 * max-bundle-files: 10000
 * verification-keys: [ "ci:RS256:/etc/pdp/ci.pub.pem" ]
 * require-signatures: true
 * bundle-url: https://bundles.example/contract.tar.gz
 * poll-min-delay: 10s
 * poll-max-delay: 30s
 * bundle-url-token-file: /etc/pdp/bundle-server.token
 * audit: true                  # false turns the decision log off
 * audit-dir: ./pdp-data/audit
 * audit-key-file: /etc/pdp/audit.key
 * audit-segment-bytes: 67108864
 * audit-segment-age: 1h
 * audit-retain-bytes: 0        # 0 keeps everything
 * audit-retain-age: 0s         # 0s keeps everything; e.g. 365d
 * audit-mask: [ "/input/subject/id" ]
 * metrics-port: 9193          # serve /metrics here (off unless set)
 * gate: false                 # true: every activating push passes the impact gate
 * gate-window: 24h             # how far back the gate replays logged decisions
 * gate-max-decisions: 100000   # the newest this many at most
 * shadow-sample-rate: 1.0      # the share of decisions a shadowed bundle is asked too
 * shadow-threads: 1            # decisions shadowed at once; more are dropped
 * </pre>
 */
public record ConfigFile(
        String bind,
        Integer port,
        String bundle,
        Integer instances,
        @JsonProperty("eval-timeout") String evalTimeout,
        @JsonProperty("queue-timeout") String queueTimeout,
        @JsonProperty("max-input-bytes") Integer maxInputBytes,
        @JsonProperty("max-memory-bytes") Long maxMemoryBytes,
        @JsonProperty("max-batch") Integer maxBatch,
        @JsonProperty("max-batch-bytes") Integer maxBatchBytes,
        @JsonProperty("max-message-bytes") Integer maxMessageBytes,
        @JsonProperty("data-dir") String dataDir,
        @JsonProperty("admin-port") Integer adminPort,
        @JsonProperty("admin-tokens") String adminTokens,
        @JsonProperty("keep-bundles") Integer keepBundles,
        @JsonProperty("max-bundle-bytes") Long maxBundleBytes,
        @JsonProperty("max-bundle-expanded-bytes") Long maxBundleExpandedBytes,
        @JsonProperty("max-bundle-file-bytes") Long maxBundleFileBytes,
        @JsonProperty("max-bundle-files") Integer maxBundleFiles,
        @JsonProperty("verification-keys") List<String> verificationKeys,
        @JsonProperty("require-signatures") Boolean requireSignatures,
        @JsonProperty("bundle-url") String bundleUrl,
        @JsonProperty("poll-min-delay") String pollMinDelay,
        @JsonProperty("poll-max-delay") String pollMaxDelay,
        @JsonProperty("bundle-url-token-file") String bundleUrlTokenFile,
        Boolean audit,
        @JsonProperty("audit-dir") String auditDir,
        @JsonProperty("audit-key-file") String auditKeyFile,
        @JsonProperty("audit-segment-bytes") Long auditSegmentBytes,
        @JsonProperty("audit-segment-age") String auditSegmentAge,
        @JsonProperty("audit-retain-bytes") Long auditRetainBytes,
        @JsonProperty("audit-retain-age") String auditRetainAge,
        @JsonProperty("audit-mask") List<String> auditMask,
        @JsonProperty("metrics-port") Integer metricsPort,
        Boolean gate,
        @JsonProperty("gate-window") String gateWindow,
        @JsonProperty("gate-max-decisions") Integer gateMaxDecisions,
        @JsonProperty("shadow-sample-rate") Double shadowSampleRate,
        @JsonProperty("shadow-threads") Integer shadowThreads) {

    /** The file is unreadable or says something that is not a valid setting. */
    public static final class InvalidConfigException extends Exception {
        public InvalidConfigException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public static ConfigFile read(Path file) throws InvalidConfigException {
        if (!Files.exists(file)) {
            throw new InvalidConfigException("config file " + file + " does not exist", null);
        }
        JsonNode tree;
        try {
            tree = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidConfigException("config file " + file + " cannot be read: " + e.getMessage(), e);
        }
        // An empty or comment-only file sets nothing: every key is optional.
        boolean empty = tree == null || tree.isMissingNode() || tree.isNull();
        return bind(empty ? YAML.createObjectNode() : tree, "config file " + file);
    }

    /**
     * The settings given as config keys from elsewhere (the {@code pdp serve} flags), bound and
     * checked exactly as a file's keys are: an unknown key is refused the same way.
     *
     * @param origin names where the keys came from in an error, e.g. "flags"
     */
    public static ConfigFile fromKeys(Map<String, ?> keys, String origin) throws InvalidConfigException {
        return bind(YAML.valueToTree(keys), origin);
    }

    private static ConfigFile bind(JsonNode tree, String origin) throws InvalidConfigException {
        try {
            return YAML.treeToValue(tree, ConfigFile.class);
        } catch (JsonMappingException e) {
            throw new InvalidConfigException(origin + ": " + e.getOriginalMessage() + " at " + e.getPathReference(), e);
        } catch (IOException e) {
            throw new InvalidConfigException(origin + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Applies the keys this file sets on top of {@code base}; a key not set leaves the base value. */
    public PdpConfig applyTo(PdpConfig base) {
        PdpConfig config = base;
        if (bind != null) config = config.withBind(bind);
        if (port != null) config = config.withPort(port);
        if (bundle != null) config = config.withBundle(Path.of(bundle));
        if (instances != null) config = config.withInstances(instances);
        if (evalTimeout != null) config = config.withEvalTimeout(Durations.parse(evalTimeout));
        if (queueTimeout != null) config = config.withQueueTimeout(Durations.parse(queueTimeout));
        if (maxInputBytes != null) config = config.withMaxInputBytes(maxInputBytes);
        if (maxMemoryBytes != null) config = config.withMaxMemoryBytes(maxMemoryBytes);
        if (maxBatch != null) config = config.withMaxBatchItems(maxBatch);
        if (maxBatchBytes != null) config = config.withMaxBatchBytes(maxBatchBytes);
        if (maxMessageBytes != null) config = config.withMaxMessageBytes(maxMessageBytes);
        if (adminPort != null) config = config.withAdminPort(adminPort);
        if (adminTokens != null) config = config.withAdminTokens(Path.of(adminTokens));
        if (metricsPort != null) config = config.withMetricsPort(metricsPort);
        return config.withPolicy(policy(config.policy())).withAudit(audit(config.audit()));
    }

    private PolicySourceConfig policy(PolicySourceConfig base) {
        PolicySourceConfig policy = base;
        if (dataDir != null) policy = policy.withDataDir(Path.of(dataDir));
        if (keepBundles != null) policy = policy.withKeepBundles(keepBundles);
        return policy.withSignatures(signatures(policy.signatures())).withPoll(poll(policy.poll()))
                .withLimits(bundleLimits(policy.limits())).withGate(gate(policy.gate()))
                .withShadow(shadow(policy.shadow()));
    }

    private ShadowSettings shadow(ShadowSettings base) {
        ShadowSettings settings = base;
        if (shadowSampleRate != null) settings = settings.withSampleRate(shadowSampleRate);
        if (shadowThreads != null) settings = settings.withThreads(shadowThreads);
        return settings;
    }

    private GateSettings gate(GateSettings base) {
        GateSettings settings = base;
        if (gate != null) settings = settings.withEveryActivation(gate);
        if (gateWindow != null) settings = settings.withWindow(Durations.parse(gateWindow));
        if (gateMaxDecisions != null) settings = settings.withMaxDecisions(gateMaxDecisions);
        return settings;
    }

    /** Key specs are {@code ID:ALGORITHM:FILE}; they add to the keys already configured. */
    private SignaturePolicy signatures(SignaturePolicy base) {
        if (verificationKeys == null && requireSignatures == null) {
            return base;
        }
        Map<String, VerificationKey> keys = new HashMap<>(base.keys());
        for (String spec : verificationKeys == null ? List.<String>of() : verificationKeys) {
            VerificationKey key = PolicySources.parseKey(spec);
            keys.put(key.keyId(), key);
        }
        return new SignaturePolicy(requireSignatures != null ? requireSignatures : base.required(), keys);
    }

    private Optional<PolicySourceConfig.Poll> poll(Optional<PolicySourceConfig.Poll> base) {
        if (bundleUrl == null && pollMinDelay == null && pollMaxDelay == null && bundleUrlTokenFile == null) {
            return base;
        }
        URI url = bundleUrl != null ? URI.create(bundleUrl) : base.map(PolicySourceConfig.Poll::url).orElseThrow(
                () -> new IllegalArgumentException("poll delays and token need a bundle URL (--bundle-url)"));
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("bundle URL " + url + " must be http or https");
        }
        Duration min = pollMinDelay != null ? Durations.parse(pollMinDelay)
                : base.map(PolicySourceConfig.Poll::minDelay).orElse(PolicySources.DEFAULT_POLL_MIN);
        Duration max = pollMaxDelay != null ? Durations.parse(pollMaxDelay)
                : base.map(PolicySourceConfig.Poll::maxDelay)
                        .orElse(PolicySources.DEFAULT_POLL_MAX.compareTo(min) < 0 ? min : PolicySources.DEFAULT_POLL_MAX);
        Optional<String> token = bundleUrlTokenFile != null
                ? Optional.of(PolicySources.readToken(Path.of(bundleUrlTokenFile)))
                : base.flatMap(PolicySourceConfig.Poll::bearerToken);
        return Optional.of(new PolicySourceConfig.Poll(url, min, max, token));
    }

    private BundleLimits bundleLimits(BundleLimits base) {
        return new BundleLimits(maxBundleBytes != null ? maxBundleBytes : base.maxArchiveBytes(),
                maxBundleExpandedBytes != null ? maxBundleExpandedBytes : base.maxExpandedBytes(),
                maxBundleFileBytes != null ? maxBundleFileBytes : base.maxFileBytes(),
                maxBundleFiles != null ? maxBundleFiles : base.maxFiles());
    }

    private AuditSettings audit(AuditSettings base) {
        AuditSettings settings = base;
        if (audit != null) settings = settings.withEnabled(audit);
        if (auditDir != null) settings = settings.withDir(Path.of(auditDir));
        if (auditKeyFile != null) settings = settings.withKeyFile(Path.of(auditKeyFile));
        if (auditSegmentBytes != null) settings = settings.withSegmentMaxBytes(auditSegmentBytes);
        if (auditSegmentAge != null) settings = settings.withSegmentMaxAge(Durations.parse(auditSegmentAge));
        if (auditRetainBytes != null) settings = settings.withRetainMaxBytes(auditRetainBytes);
        if (auditRetainAge != null) settings = settings.withRetainMaxAge(Durations.parse(auditRetainAge));
        if (auditMask != null) settings = settings.withMask(auditMask);
        return settings;
    }
}
