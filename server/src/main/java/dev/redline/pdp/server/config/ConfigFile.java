package dev.redline.pdp.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
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
        try {
            ConfigFile parsed = yaml.readValue(file.toFile(), ConfigFile.class);
            return parsed == null ? new ConfigFile(null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null) : parsed;
        } catch (NoSuchFileException e) {
            throw new InvalidConfigException("config file " + file + " does not exist", e);
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
        return config.withAudit(AuditOptions.apply(config.audit(), audit, path(auditDir), path(auditKeyFile),
                auditSegmentBytes, auditSegmentAge, auditRetainBytes, auditRetainAge, auditMask));
    }

    private static Path path(String text) {
        return text == null ? null : Path.of(text);
    }
}
