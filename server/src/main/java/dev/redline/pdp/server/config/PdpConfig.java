package dev.redline.pdp.server.config;

import dev.redline.pdp.server.audit.AuditSettings;
import dev.redline.pdp.server.engine.EngineLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything a PDP needs to start. Immutable; change it with the {@code with...} methods.
 *
 * @param bind the address to listen on (loopback by default: exposing the PDP is a choice)
 * @param port the port; 0 picks a free one
 * @param bundle an OPA Wasm bundle file, or empty for the stored or built-in contract bundle
 * @param limits the engine's limits
 * @param maxBatchItems the most requests one DecideBatch may hold
 * @param maxMessageBytes the largest gRPC message accepted
 * @param adminPort the admin API's port; empty for the decision port + 1 (or 0 when that is 0)
 * @param adminTokens the admin token file; empty for {@code <data dir>/admin.tokens}
 * @param policy where policy comes from and where it is kept
 * @param audit how decisions are recorded (its directory defaults to {@code <data dir>/audit})
 * @param security TLS of the ports and the admin port's exposure
 */
public record PdpConfig(
        String bind,
        int port,
        Optional<Path> bundle,
        EngineLimits limits,
        int maxBatchItems,
        int maxMessageBytes,
        Optional<Integer> adminPort,
        Optional<Path> adminTokens,
        PolicySourceConfig policy,
        AuditSettings audit,
        SecuritySettings security) {

    public static final int DEFAULT_PORT = 9191;

    public PdpConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        if (maxBatchItems < 1) {
            throw new IllegalArgumentException("max batch must be at least 1, got " + maxBatchItems);
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("max message bytes must be at least 1024, got " + maxMessageBytes);
        }
    }

    public static PdpConfig defaults() {
        return new PdpConfig("127.0.0.1", DEFAULT_PORT, Optional.empty(), EngineLimits.defaults(), 128, 16 << 20,
                Optional.empty(), Optional.empty(), PolicySourceConfig.defaults(), AuditSettings.defaults(),
                SecuritySettings.defaults());
    }

    /** The admin port in effect. */
    public int effectiveAdminPort() {
        return adminPort.orElse(port == 0 ? 0 : port + 1);
    }

    /** The admin token file in effect. */
    public Path effectiveAdminTokens() {
        return adminTokens.orElse(policy.dataDir().resolve("admin.tokens"));
    }

    /** The decision log settings in effect: an unset directory lives in the data directory. */
    public AuditSettings effectiveAudit() {
        return audit.dir().isPresent() ? audit : audit.withDir(policy.dataDir().resolve("audit"));
    }

    public PdpConfig withBind(String bind) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxMessageBytes, adminPort, adminTokens, policy, audit, security);
    }

    public PdpConfig withPort(int port) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxMessageBytes, adminPort, adminTokens, policy, audit, security);
    }

    public PdpConfig withBundle(Path bundle) {
        return new PdpConfig(bind, port, Optional.of(bundle), limits, maxBatchItems, maxMessageBytes, adminPort,
                adminTokens, policy, audit, security);
    }

    public PdpConfig withLimits(EngineLimits limits) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxMessageBytes, adminPort, adminTokens, policy, audit, security);
    }

    public PdpConfig withMaxBatchItems(int maxBatchItems) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxMessageBytes, adminPort, adminTokens, policy, audit, security);
    }

    public PdpConfig withMaxMessageBytes(int maxMessageBytes) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxMessageBytes, adminPort, adminTokens, policy, audit, security);
    }

    public PdpConfig withAdminPort(int adminPort) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxMessageBytes, Optional.of(adminPort),
                adminTokens, policy, audit, security);
    }

    public PdpConfig withAdminTokens(Path adminTokens) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxMessageBytes, adminPort,
                Optional.of(adminTokens), policy, audit, security);
    }

    public PdpConfig withPolicy(PolicySourceConfig policy) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxMessageBytes, adminPort, adminTokens, policy, audit, security);
    }

    public PdpConfig withAudit(AuditSettings audit) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxMessageBytes, adminPort, adminTokens, policy, audit, security);
    }

    public PdpConfig withSecurity(SecuritySettings security) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxMessageBytes, adminPort, adminTokens, policy, audit,
                security);
    }

    public PdpConfig withDataDir(Path dataDir) {
        return withPolicy(new PolicySourceConfig(dataDir, policy.keepBundles(), policy.signatures(), policy.poll(),
                policy.limits()));
    }

    public PdpConfig withInstances(int instances) {
        return withLimits(new EngineLimits(instances, limits.evalTimeout(), limits.queueTimeout(),
                limits.maxInputBytes(), limits.maxMemoryBytes()));
    }

    public PdpConfig withEvalTimeout(Duration evalTimeout) {
        return withLimits(new EngineLimits(limits.instances(), evalTimeout, limits.queueTimeout(),
                limits.maxInputBytes(), limits.maxMemoryBytes()));
    }

    public PdpConfig withQueueTimeout(Duration queueTimeout) {
        return withLimits(new EngineLimits(limits.instances(), limits.evalTimeout(), queueTimeout,
                limits.maxInputBytes(), limits.maxMemoryBytes()));
    }

    public PdpConfig withMaxInputBytes(int maxInputBytes) {
        return withLimits(new EngineLimits(limits.instances(), limits.evalTimeout(), limits.queueTimeout(),
                maxInputBytes, limits.maxMemoryBytes()));
    }

    public PdpConfig withMaxMemoryBytes(long maxMemoryBytes) {
        return withLimits(new EngineLimits(limits.instances(), limits.evalTimeout(), limits.queueTimeout(),
                limits.maxInputBytes(), maxMemoryBytes));
    }
}
