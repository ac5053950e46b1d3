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
 * @param bundle an OPA Wasm bundle file, or empty for the built-in contract bundle
 * @param limits the engine's limits
 * @param maxBatchItems the most requests one DecideBatch may hold
 * @param maxMessageBytes the largest gRPC message accepted
 * @param audit how decisions are recorded
 */
public record PdpConfig(
        String bind,
        int port,
        Optional<Path> bundle,
        EngineLimits limits,
        int maxBatchItems,
        int maxMessageBytes,
        AuditSettings audit) {

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
                AuditSettings.defaults());
    }

    public PdpConfig withBind(String bind) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxMessageBytes, audit);
    }

    public PdpConfig withPort(int port) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxMessageBytes, audit);
    }

    public PdpConfig withBundle(Path bundle) {
        return new PdpConfig(bind, port, Optional.of(bundle), limits, maxBatchItems, maxMessageBytes, audit);
    }

    public PdpConfig withLimits(EngineLimits limits) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxMessageBytes, audit);
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

    public PdpConfig withMaxBatchItems(int maxBatchItems) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxMessageBytes, audit);
    }

    public PdpConfig withMaxMessageBytes(int maxMessageBytes) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxMessageBytes, audit);
    }

    public PdpConfig withAudit(AuditSettings audit) {
        return new PdpConfig(bind, port, bundle, limits, maxBatchItems, maxMessageBytes, audit);
    }
}
