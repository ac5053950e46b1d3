package dev.redline.pdp.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The PDP's YAML (or JSON) config file. Every key is optional; a key that is set overrides the
 * default, and a command-line flag overrides the file. Unknown keys are refused so that a typo
 * does not silently leave a limit at its default.
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
        @JsonProperty("audit-mask") List<String> auditMask) {

    /** The file is unreadable or says something that is not a valid setting. */
    public static final class InvalidConfigException extends Exception {
        public InvalidConfigException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static ConfigFile read(Path file) throws InvalidConfigException {
        ObjectMapper yaml = YAMLMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        if (!Files.exists(file)) {
            throw new InvalidConfigException("config file " + file + " does not exist", null);
        }
        try {
            JsonNode tree = yaml.readTree(file.toFile());
            // An empty or comment-only file sets nothing: every key is optional.
            boolean empty = tree == null || tree.isMissingNode() || tree.isNull();
            return yaml.treeToValue(empty ? yaml.createObjectNode() : tree, ConfigFile.class);
        } catch (JsonMappingException e) {
            throw new InvalidConfigException("config file " + file + ": " + e.getOriginalMessage()
                    + " at " + e.getPathReference(), e);
        } catch (IOException e) {
            throw new InvalidConfigException("config file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Applies the keys this file sets on top of {@code base}. */
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
        if (maxMessageBytes != null) config = config.withMaxMessageBytes(maxMessageBytes);
        if (adminPort != null) config = config.withAdminPort(adminPort);
        if (adminTokens != null) config = config.withAdminTokens(path(adminTokens));
        config = config.withPolicy(PolicySources.apply(config.policy(), path(dataDir),
                keepBundles, verificationKeys, requireSignatures,
                bundleUrl == null ? null : java.net.URI.create(bundleUrl), pollMinDelay, pollMaxDelay,
                path(bundleUrlTokenFile)));
        config = config.withPolicy(config.policy().withLimits(config.policy().limits().with(
                maxBundleBytes, maxBundleExpandedBytes, maxBundleFileBytes, maxBundleFiles)));
        return config.withAudit(AuditOptions.apply(config.audit(), audit, path(auditDir), path(auditKeyFile),
                auditSegmentBytes, auditSegmentAge, auditRetainBytes, auditRetainAge, auditMask));
    }

    private static Path path(String text) {
        return text == null ? null : Path.of(text);
    }
}
