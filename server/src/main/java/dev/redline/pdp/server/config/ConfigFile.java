package dev.redline.pdp.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.redline.pdp.server.audit.AuditSettings;
import dev.redline.pdp.server.audit.shipping.ShippingSettings;
import dev.redline.pdp.server.audit.chain.SyncMode;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import dev.redline.pdp.server.bundle.VerificationKey;
import dev.redline.pdp.server.identity.JwtSettings;
import dev.redline.pdp.server.tls.ClientAuth;
import dev.redline.pdp.server.tls.TlsSettings;
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
 * warmup-timeout: 30s          # 0s serves a revision cold
 * queue-timeout: 1s
 * max-input-bytes: 1048576
 * max-memory-bytes: 268435456
 * max-batch: 128
 * max-batch-bytes: 4194304
 * max-client-concurrency: 64           # decisions in flight per client; 0 for no limit
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
 * audit-kafka-bootstrap-servers: kafka-1:9092,kafka-2:9092   # ship the decision log (unset: local disk only)
 * audit-kafka-topic: pdp-decisions
 * audit-kafka-mode: local      # or replicated: answer only once Kafka acknowledged the record
 * audit-kafka-timeout: 2s      # replicated: longest wait for the acknowledgement, then UNAVAILABLE
 * decision-log-sync: fsync     # or write: answered once written, forced every interval
 * decision-log-sync-interval: 100ms
 * metrics-port: 9193          # serve /metrics here (off unless set)
 * gate: false                 # true: every activating push passes the impact gate
 * gate-window: 24h             # how far back the gate replays logged decisions
 * gate-max-decisions: 100000   # the newest this many at most
 * shutdown-grace: 10s         # how long a stop (SIGTERM) may drain calls in flight
 * allow-readable-secrets: false  # true: start (with a warning) though a secret file is group/other-readable
 * tls-cert: /etc/pdp/tls/tls.crt     # PEM chain, leaf first; with tls-key, the decision port serves TLS
 * tls-key: /etc/pdp/tls/tls.key      # PEM PKCS#8 private key
 * tls-client-ca: /etc/pdp/tls/ca.crt # clients' CA; client auth then defaults to require
 * tls-client-auth: require           # none | optional | require
 * admin-tls-cert: ...                # admin-tls-*: the admin port's own; unset ones inherit tls-*
 * allow-plaintext-admin: false       # admin tokens in plaintext beyond loopback
 * tls-reload-interval: 10s           # how often changed TLS files are read again
 * jwt-jwks: /etc/pdp/jwks.json       # bearer JWTs on the decision port verified with these keys
 * jwt-issuer: https://idp.example    # the iss they must carry
 * jwt-audience: redline-pdp          # an aud they must include
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
        @JsonProperty("warmup-timeout") String warmupTimeout,
        @JsonProperty("queue-timeout") String queueTimeout,
        @JsonProperty("max-input-bytes") Integer maxInputBytes,
        @JsonProperty("max-memory-bytes") Long maxMemoryBytes,
        @JsonProperty("max-batch") Integer maxBatch,
        @JsonProperty("max-batch-bytes") Integer maxBatchBytes,
        @JsonProperty("max-client-concurrency") Integer maxClientConcurrency,
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
        @JsonProperty("decision-log-sync") String decisionLogSync,
        @JsonProperty("decision-log-sync-interval") String decisionLogSyncInterval,
        @JsonProperty("audit-kafka-bootstrap-servers") String auditKafkaBootstrapServers,
        @JsonProperty("audit-kafka-topic") String auditKafkaTopic,
        @JsonProperty("audit-kafka-mode") String auditKafkaMode,
        @JsonProperty("audit-kafka-timeout") String auditKafkaTimeout,
        @JsonProperty("metrics-port") Integer metricsPort,
        Boolean gate,
        @JsonProperty("gate-window") String gateWindow,
        @JsonProperty("gate-max-decisions") Integer gateMaxDecisions,
        @JsonProperty("shutdown-grace") String shutdownGrace,
        @JsonProperty("allow-readable-secrets") Boolean allowReadableSecrets,
        @JsonProperty("tls-cert") String tlsCert,
        @JsonProperty("tls-key") String tlsKey,
        @JsonProperty("tls-client-ca") String tlsClientCa,
        @JsonProperty("tls-client-auth") String tlsClientAuth,
        @JsonProperty("admin-tls-cert") String adminTlsCert,
        @JsonProperty("admin-tls-key") String adminTlsKey,
        @JsonProperty("admin-tls-client-ca") String adminTlsClientCa,
        @JsonProperty("admin-tls-client-auth") String adminTlsClientAuth,
        @JsonProperty("allow-plaintext-admin") Boolean allowPlaintextAdmin,
        @JsonProperty("tls-reload-interval") String tlsReloadInterval,
        @JsonProperty("jwt-jwks") String jwtJwks,
        @JsonProperty("jwt-issuer") String jwtIssuer,
        @JsonProperty("jwt-audience") String jwtAudience,

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
        if (warmupTimeout != null) config = config.withWarmupTimeout(Durations.parse(warmupTimeout));
        if (queueTimeout != null) config = config.withQueueTimeout(Durations.parse(queueTimeout));
        if (maxInputBytes != null) config = config.withMaxInputBytes(maxInputBytes);
        if (maxMemoryBytes != null) config = config.withMaxMemoryBytes(maxMemoryBytes);
        if (maxBatch != null) config = config.withMaxBatchItems(maxBatch);
        if (maxBatchBytes != null) config = config.withMaxBatchBytes(maxBatchBytes);
        if (maxClientConcurrency != null) config = config.withMaxClientConcurrency(maxClientConcurrency);
        if (maxMessageBytes != null) config = config.withMaxMessageBytes(maxMessageBytes);
        if (adminPort != null) config = config.withAdminPort(adminPort);
        if (adminTokens != null) config = config.withAdminTokens(Path.of(adminTokens));
        if (metricsPort != null) config = config.withMetricsPort(metricsPort);
        if (allowReadableSecrets != null) config = config.withAllowReadableSecrets(allowReadableSecrets);
        if (shutdownGrace != null) {
            config = config.withShutdownGrace(Durations.parse(shutdownGrace));
        }
        config = config.withPolicy(policy(config.policy())).withAudit(audit(config.audit()))
                .withSecurity(security(config.security()));
        return shipping(config.shipping()).map(config::withShipping).orElse(config);
    }

    /** The Kafka keys on top of what is configured; the mode and timeout alone need the servers and topic. */
    private Optional<ShippingSettings> shipping(Optional<ShippingSettings> base) {
        if (auditKafkaBootstrapServers == null && auditKafkaTopic == null && auditKafkaMode == null && auditKafkaTimeout == null) {
            return base;
        }
        String servers = auditKafkaBootstrapServers != null ? auditKafkaBootstrapServers : base.map(ShippingSettings::bootstrapServers).orElse(null);
        String topic = auditKafkaTopic != null ? auditKafkaTopic : base.map(ShippingSettings::topic).orElse(null);
        if (servers == null || topic == null) {
            throw new IllegalArgumentException("shipping the decision log needs both audit-kafka-bootstrap-servers"
                    + " (--audit-kafka-bootstrap-servers host:port,...) and audit-kafka-topic (--audit-kafka-topic)");
        }
        ShippingSettings.Mode mode = auditKafkaMode != null ? ShippingSettings.Mode.parse(auditKafkaMode)
                : base.map(ShippingSettings::mode).orElse(ShippingSettings.Mode.LOCAL);
        Duration timeout = auditKafkaTimeout != null ? Durations.parse(auditKafkaTimeout)
                : base.map(ShippingSettings::ackTimeout).orElse(ShippingSettings.DEFAULT_ACK_TIMEOUT);
        return Optional.of(new ShippingSettings(servers, topic, mode, timeout));
    }

    private SecuritySettings security(SecuritySettings base) {
        SecuritySettings security = base;
        Optional<TlsSettings> tls = tls("tls-", tlsCert, tlsKey, tlsClientCa, tlsClientAuth, base.tls());
        if (tls.isPresent()) security = security.withTls(tls.get());
        // Unset admin-tls-* keys take the decision port's values, so one certificate can serve both ports.
        Optional<TlsSettings> adminTls = tls("admin-tls-", adminTlsCert, adminTlsKey, adminTlsClientCa,
                adminTlsClientAuth, base.adminTls().or(security::tls));
        if (adminTls.isPresent() && anySet(adminTlsCert, adminTlsKey, adminTlsClientCa, adminTlsClientAuth)) {
            security = security.withAdminTls(adminTls.get());
        }
        if (allowPlaintextAdmin != null) security = security.withAllowPlaintextAdmin(allowPlaintextAdmin);
        if (tlsReloadInterval != null) security = security.withTlsReloadInterval(Durations.parse(tlsReloadInterval));
        if (jwtJwks != null || jwtIssuer != null || jwtAudience != null) {
            Optional<JwtSettings> base0 = security.jwt();
            Path jwks = jwtJwks != null ? Path.of(jwtJwks) : base0.map(JwtSettings::jwksFile).orElseThrow(
                    () -> new IllegalArgumentException("jwt-issuer and jwt-audience need the keys to verify with: set jwt-jwks"));
            security = security.withJwt(new JwtSettings(jwks,
                    jwtIssuer != null ? Optional.of(jwtIssuer) : base0.flatMap(JwtSettings::issuer),
                    jwtAudience != null ? Optional.of(jwtAudience) : base0.flatMap(JwtSettings::audience)));
        }
        return security;
    }

    /**
     * One port's TLS from its keys over {@code base}: empty when neither sets a certificate. A client
     * CA without an explicit client auth means clients must present a certificate.
     */
    private static Optional<TlsSettings> tls(String prefix, String cert, String key, String clientCa,
            String clientAuth, Optional<TlsSettings> base) {
        if (!anySet(cert, key, clientCa, clientAuth)) {
            return base;
        }
        Path certFile = cert != null ? Path.of(cert) : base.map(TlsSettings::certFile).orElse(null);
        Path keyFile = key != null ? Path.of(key) : base.map(TlsSettings::keyFile).orElse(null);
        if (certFile == null || keyFile == null) {
            throw new IllegalArgumentException(prefix + "cert and " + prefix + "key go together: set both to serve TLS"
                    + (prefix.startsWith("admin") ? " on the admin port (or tls-cert and tls-key for both ports)" : ""));
        }
        Optional<Path> caFile = clientCa != null ? Optional.of(Path.of(clientCa)) : base.flatMap(TlsSettings::clientCaFile);
        ClientAuth auth = clientAuth != null ? ClientAuth.parse(clientAuth, prefix + "client-auth")
                : clientCa != null ? ClientAuth.REQUIRE
                : base.map(TlsSettings::clientAuth).orElse(caFile.isPresent() ? ClientAuth.REQUIRE : ClientAuth.NONE);
        if (auth != ClientAuth.NONE && caFile.isEmpty()) {
            throw new IllegalArgumentException(prefix + "client-auth " + auth.configValue()
                    + " needs the CA that client certificates chain to: set " + prefix + "client-ca");
        }
        return Optional.of(new TlsSettings(certFile, keyFile, caFile, auth));
    }

    private static boolean anySet(Object... values) {
        for (Object value : values) {
            if (value != null) {
                return true;
            }
        }
        return false;
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
        if (decisionLogSync != null) settings = settings.withSync(SyncMode.named(decisionLogSync));
        if (decisionLogSyncInterval != null) {
            settings = settings.withSyncInterval(Durations.parse(decisionLogSyncInterval));
        }
        return settings;
    }
}
