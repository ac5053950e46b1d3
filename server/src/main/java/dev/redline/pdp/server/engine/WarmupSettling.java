package dev.redline.pdp.server.engine;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When a warm-up has done its work: evaluation time has stopped falling <em>and</em> the JIT has
 * stopped compiling. Round times alone are not enough: while the JIT compiles the policy's large
 * generated methods, rounds run for seconds at one tier's speed and look settled although the next
 * tier is minutes of compiler time away; a revision served then runs at a fraction of its speed
 * with the compiler taking much of its CPU (bench/PERFORMANCE-WORK.md, issue 12).
 *
 * <p>Settled means, at once: the fastest round has not improved by more than {@value
 * #IMPROVEMENT_PERCENT}% for {@value #QUIET_ROUNDS} rounds and at least {@link #QUIET_TIME}; and the
 * JVM's compilers spent at most {@value #JIT_QUIET_PERCENT}% of the last {@link #QUIET_TIME} compiling.
 * Where the JVM cannot report compilation time, the first condition alone decides.
 *
 * <p>Not thread-safe: one warm-up feeds it its rounds, one at a time.
 */
public final class WarmupSettling {
    static final int IMPROVEMENT_PERCENT = 5;
    static final int QUIET_ROUNDS = 200;
    static final Duration QUIET_TIME = Duration.ofSeconds(2);
    static final int JIT_QUIET_PERCENT = 5;

    /** Cumulative JIT compilation time in milliseconds, or a negative value when unknown. */
    private final LongSupplier jitMillis;
    private long best = Long.MAX_VALUE;
    private long quietRounds;
    private long quietSince;
    private long jitMarkNanos;
    private long jitMarkMillis;

    public WarmupSettling(long startNanos, LongSupplier jitMillis) {
        this.jitMillis = jitMillis;
        this.quietSince = startNanos;
        this.jitMarkNanos = startNanos;
        this.jitMarkMillis = jitMillis.getAsLong();
    }

    /** The JVM's own compilation clock, when it keeps one. */
    public static LongSupplier jvmCompilationMillis() {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) {
            return () -> -1;
        }
        return compiler::getTotalCompilationTime;
    }

    /**
     * Records one round that took {@code roundNanos} and ended at {@code nowNanos}.
     *
     * @return true once the warm-up has settled
     */
    public boolean roundEnded(long roundNanos, long nowNanos) {
        if (roundNanos * 100 < best * (100 - IMPROVEMENT_PERCENT)) {
            best = roundNanos;
            quietRounds = 0;
            quietSince = nowNanos;
        } else {
            best = Math.min(best, roundNanos);
            quietRounds++;
        }
        boolean roundsQuiet = quietRounds >= QUIET_ROUNDS && nowNanos - quietSince >= QUIET_TIME.toNanos();
        return roundsQuiet && jitQuiet(nowNanos);
    }

    /** True when the compilers were nearly idle over the last window; starts a new window otherwise. */
    private boolean jitQuiet(long nowNanos) {
        long window = nowNanos - jitMarkNanos;
        if (window < QUIET_TIME.toNanos()) {
            return false;
        }
        long millis = jitMillis.getAsLong();
        if (millis < 0 || jitMarkMillis < 0) {
            return true;
        }
        boolean quiet = (millis - jitMarkMillis) * 1_000_000L * 100 <= window * JIT_QUIET_PERCENT;
        jitMarkNanos = nowNanos;
        jitMarkMillis = millis;
        return quiet;
    }
}
