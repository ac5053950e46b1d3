package dev.redline.pdp.server.engine;

import java.time.Duration;

/**
 * How much of the machine the engine may use.
 *
 * @param instances policy instances evaluating in parallel (each holds its own copy of the data)
 * @param evalTimeout the longest one evaluation may run before it is stopped
 * @param queueTimeout the longest a decision waits for a free instance (the caller's deadline
 *     applies too); kept apart from {@code evalTimeout} so that a pool rebuilding instances
 *     after a timeout makes callers wait briefly rather than fail
 * @param maxInputBytes the largest input document, as JSON, a request may carry; the front door
 *     checks it while writing the input (the engine evaluates what it is given)
 * @param maxMemoryBytes the cap on each instance's Wasm linear memory
 * @param warmupTimeout the longest a revision is warmed up before it decides (it stops earlier once
 *     evaluation time has settled); zero skips the warm-up
 */
public record EngineLimits(
        int instances, Duration evalTimeout, Duration queueTimeout, int maxInputBytes, long maxMemoryBytes,
        Duration warmupTimeout) {
    public static final int WASM_PAGE_BYTES = 64 * 1024;

    /**
     * The default warm-up bound: long enough for the JIT to compile a contract-sized policy's
     * classes on a busy two-core machine, short enough for a readiness probe (docs/performance.md).
     */
    public static final Duration DEFAULT_WARMUP_TIMEOUT = Duration.ofSeconds(30);

    /** Limits without a warm-up: for engines in tests that are about something else. */
    public EngineLimits(int instances, Duration evalTimeout, Duration queueTimeout, int maxInputBytes,
            long maxMemoryBytes) {
        this(instances, evalTimeout, queueTimeout, maxInputBytes, maxMemoryBytes, Duration.ZERO);
    }

    public EngineLimits {
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be at least 1, got " + instances);
        }
        if (evalTimeout.isNegative() || evalTimeout.isZero()) {
            throw new IllegalArgumentException("evalTimeout must be positive, got " + evalTimeout);
        }
        if (queueTimeout.isNegative()) {
            throw new IllegalArgumentException("queueTimeout must not be negative, got " + queueTimeout);
        }
        if (maxInputBytes < 2) {
            throw new IllegalArgumentException("maxInputBytes must be at least 2, got " + maxInputBytes);
        }
        if (warmupTimeout.isNegative()) {
            throw new IllegalArgumentException("warmupTimeout must not be negative, got " + warmupTimeout);
        }
        if (maxMemoryBytes < 2L * WASM_PAGE_BYTES || maxMemoryBytes > 4L * 1024 * 1024 * 1024) {
            throw new IllegalArgumentException(
                    "maxMemoryBytes must be between 128 KiB and 4 GiB, got " + maxMemoryBytes);
        }
    }

    /**
     * The defaults. Instances: one per CPU but one, which leaves a core's worth for the transport,
     * the decision log and the caller that usually shares the machine; more instances than that
     * served fewer decisions, not more (bench/PERFORMANCE-WORK.md, section 5).
     */
    public static EngineLimits defaults() {
        return new EngineLimits(
                Math.max(1, Runtime.getRuntime().availableProcessors() - 1),
                Duration.ofMillis(200),
                Duration.ofSeconds(1),
                1 << 20,
                256L << 20,
                DEFAULT_WARMUP_TIMEOUT);
    }

    int maxMemoryPages() {
        return (int) (maxMemoryBytes / WASM_PAGE_BYTES);
    }
}
