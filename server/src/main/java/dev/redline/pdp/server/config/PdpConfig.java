package dev.redline.pdp.server.config;

import dev.redline.pdp.server.audit.AuditSettings;
import dev.redline.pdp.server.audit.shipping.ShippingSettings;
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
 * @param maxBatchBytes the most bytes one DecideBatch's requests may hold together, as sent
 * @param maxMessageBytes the largest gRPC message accepted
 * @param adminPort the admin API's port; empty for the decision port + 1 (or 0 when that is 0)
 * @param adminTokens the admin token file; empty for {@code <data dir>/admin.tokens}
 * @param policy where policy comes from and where it is kept
 * @param audit how decisions are recorded (its directory defaults to {@code <data dir>/audit})
 * @param metricsPort the port {@code /metrics} is served on, bound like {@code bind}; empty for no
 *     metrics (0 picks a free port)
 * @param maxClientConcurrency the most decisions one client (its principal, else its address) may
 *     have in flight at once, a batch counting its items; 0 for no per-client limit
 * @param shipping where the decision log is shipped to Kafka, and in which durability mode; empty
 *     when it is kept on local disk only
 * @param shutdownGrace how long a stop may take: calls in flight get this long to finish before they
 *     are cut and the process exits anyway
 * @param allowReadableSecrets start even when the admin tokens file or the decision-log key is
 *     readable by group or others (then with a warning); by default such a start is refused
 * @param security TLS of the ports, the admin port's exposure, and how callers are verified
 */
public record PdpConfig(
        String bind,
        int port,
        Optional<Path> bundle,
        EngineLimits limits,
        int maxBatchItems,
        int maxBatchBytes,
        int maxMessageBytes,
        Optional<Integer> adminPort,
        Optional<Path> adminTokens,
        PolicySourceConfig policy,
        AuditSettings audit,
        Optional<Integer> metricsPort,
        int maxClientConcurrency,
        Optional<ShippingSettings> shipping,
        Duration shutdownGrace,
        boolean allowReadableSecrets,
        SecuritySettings security) {

    public static final int DEFAULT_PORT = 9191;
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

    /**
     * Half of a default batch (128): a client sending full batches has one in flight at a time,
     * so two such clients cannot fill the queue ahead of everyone else, while a client sending
     * single decisions may still keep more of them in flight than the decision threads can serve
     * at once. docs/operations.md gives the reasoning.
     */
    public static final int DEFAULT_MAX_CLIENT_CONCURRENCY = 64;

    public PdpConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        if (maxBatchItems < 1) {
            throw new IllegalArgumentException("max batch must be at least 1, got " + maxBatchItems);
        }
        if (maxBatchBytes < 1024) {
            throw new IllegalArgumentException("max batch bytes must be at least 1024, got " + maxBatchBytes);
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("max message bytes must be at least 1024, got " + maxMessageBytes);
        }
        if (maxClientConcurrency < 0) {
            throw new IllegalArgumentException("max client concurrency must be 0 (no limit) or more, got "
                    + maxClientConcurrency);
        }
        if (metricsPort.isPresent() && (metricsPort.get() < 0 || metricsPort.get() > 65_535)) {
            throw new IllegalArgumentException("metrics port must be between 0 and 65535, got " + metricsPort.get());
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdown grace must not be negative, got " + shutdownGrace);
        }
    }

    public static PdpConfig defaults() {
        return new PdpConfig("127.0.0.1", DEFAULT_PORT, Optional.empty(), EngineLimits.defaults(), 128, 4 << 20, 16 << 20,
                Optional.empty(), Optional.empty(), PolicySourceConfig.defaults(), AuditSettings.defaults(),
                Optional.empty(), DEFAULT_MAX_CLIENT_CONCURRENCY, Optional.empty(),
                DEFAULT_SHUTDOWN_GRACE, false,
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
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxBatchBytes, maxMessageBytes, adminPort, adminTokens, policy, audit, metricsPort, maxClientConcurrency, shipping, shutdownGrace, allowReadableSecrets, security);
    }

    public PdpConfig withPort(int port) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxBatchBytes, maxMessageBytes, adminPort, adminTokens, policy, audit, metricsPort, maxClientConcurrency, shipping, shutdownGrace, allowReadableSecrets, security);
    }

    public PdpConfig withBundle(Path bundle) {
        return new PdpConfig(bind, port, Optional.of(bundle), limits, maxBatchItems, maxBatchBytes, maxMessageBytes, adminPort,
                adminTokens, policy, audit, metricsPort, maxClientConcurrency, shipping, shutdownGrace, allowReadableSecrets, security);
    }

    public PdpConfig withLimits(EngineLimits limits) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxBatchBytes, maxMessageBytes, adminPort, adminTokens, policy, audit, metricsPort, maxClientConcurrency, shipping, shutdownGrace, allowReadableSecrets, security);
    }

    public PdpConfig withMaxBatchItems(int maxBatchItems) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxBatchBytes, maxMessageBytes, adminPort, adminTokens, policy, audit, metricsPort, maxClientConcurrency, shipping, shutdownGrace, allowReadableSecrets, security);
    }

    public PdpConfig withMaxBatchBytes(int maxBatchBytes) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxBatchBytes, maxMessageBytes, adminPort, adminTokens, policy,
                audit, metricsPort, maxClientConcurrency, shipping, shutdownGrace, allowReadableSecrets, security);
    }

    public PdpConfig withMaxMessageBytes(int maxMessageBytes) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxBatchBytes, maxMessageBytes, adminPort, adminTokens, policy, audit, metricsPort, maxClientConcurrency, shipping, shutdownGrace, allowReadableSecrets, security);
    }

    public PdpConfig withAdminPort(int adminPort) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxBatchBytes, maxMessageBytes, Optional.of(adminPort),
                adminTokens, policy, audit, metricsPort, maxClientConcurrency, shipping, shutdownGrace, allowReadableSecrets, security);
    }

    public PdpConfig withAdminTokens(Path adminTokens) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxBatchBytes, maxMessageBytes, adminPort,
                Optional.of(adminTokens), policy, audit, metricsPort, maxClientConcurrency, shipping, shutdownGrace, allowReadableSecrets, security);
    }

    public PdpConfig withPolicy(PolicySourceConfig policy) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxBatchBytes, maxMessageBytes, adminPort, adminTokens, policy, audit, metricsPort, maxClientConcurrency, shipping, shutdownGrace, allowReadableSecrets, security);
    }

    public PdpConfig withAudit(AuditSettings audit) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxBatchBytes, maxMessageBytes, adminPort, adminTokens, policy, audit, metricsPort, maxClientConcurrency, shipping, shutdownGrace, allowReadableSecrets, security);
    }

    public PdpConfig withMetricsPort(int metricsPort) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxBatchBytes, maxMessageBytes, adminPort, adminTokens, policy,
                audit, Optional.of(metricsPort), maxClientConcurrency, shipping, shutdownGrace, allowReadableSecrets, security);
    }

    public PdpConfig withMaxClientConcurrency(int maxClientConcurrency) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxBatchBytes, maxMessageBytes, adminPort, adminTokens, policy,
                audit, metricsPort, maxClientConcurrency, shipping, shutdownGrace, allowReadableSecrets, security);
    }

    public PdpConfig withDataDir(Path dataDir) {
        return withPolicy(policy.withDataDir(dataDir));
    }

    public PdpConfig withInstances(int instances) {
        return withLimits(new EngineLimits(instances, limits.evalTimeout(), limits.queueTimeout(),
                limits.maxInputBytes(), limits.maxMemoryBytes(), limits.warmupTimeout()));
    }

    public PdpConfig withWarmupTimeout(Duration warmupTimeout) {
        return withLimits(new EngineLimits(limits.instances(), limits.evalTimeout(), limits.queueTimeout(),
                limits.maxInputBytes(), limits.maxMemoryBytes(), warmupTimeout));
    }

    public PdpConfig withEvalTimeout(Duration evalTimeout) {
        return withLimits(new EngineLimits(limits.instances(), evalTimeout, limits.queueTimeout(),
                limits.maxInputBytes(), limits.maxMemoryBytes(), limits.warmupTimeout()));
    }

    public PdpConfig withQueueTimeout(Duration queueTimeout) {
        return withLimits(new EngineLimits(limits.instances(), limits.evalTimeout(), queueTimeout,
                limits.maxInputBytes(), limits.maxMemoryBytes(), limits.warmupTimeout()));
    }

    public PdpConfig withMaxInputBytes(int maxInputBytes) {
        return withLimits(new EngineLimits(limits.instances(), limits.evalTimeout(), limits.queueTimeout(),
                maxInputBytes, limits.maxMemoryBytes(), limits.warmupTimeout()));
    }

    public PdpConfig withMaxMemoryBytes(long maxMemoryBytes) {
        return withLimits(new EngineLimits(limits.instances(), limits.evalTimeout(), limits.queueTimeout(),
                limits.maxInputBytes(), maxMemoryBytes, limits.warmupTimeout()));
    }

    public PdpConfig withShipping(ShippingSettings shipping) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxBatchBytes, maxMessageBytes, adminPort, adminTokens, policy,
                audit, metricsPort, maxClientConcurrency, Optional.of(shipping), shutdownGrace, allowReadableSecrets, security);
    }

    public PdpConfig withShutdownGrace(Duration shutdownGrace) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxBatchBytes, maxMessageBytes, adminPort, adminTokens, policy,
                audit, metricsPort, maxClientConcurrency, shipping, shutdownGrace, allowReadableSecrets, security);
    }

    public PdpConfig withAllowReadableSecrets(boolean allowReadableSecrets) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxBatchBytes, maxMessageBytes, adminPort, adminTokens, policy,
                audit, metricsPort, maxClientConcurrency, shipping, shutdownGrace, allowReadableSecrets, security);
    }

    public PdpConfig withSecurity(SecuritySettings security) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxBatchBytes, maxMessageBytes, adminPort, adminTokens, policy,
                audit, metricsPort, maxClientConcurrency, shipping, shutdownGrace, allowReadableSecrets, security);
    }
}
