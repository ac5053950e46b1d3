package dev.redline.pdp.server.engine.builtins;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What stays fixed for the length of one evaluation, as in OPA: {@code time.now_ns} reads the
 * clock once, {@code rand.intn} gives one number per (string, n) pair and {@code uuid.rfc4122}
 * one UUID per key.
 *
 * <p>The time read, if the evaluation read it, is handed on to the decision record
 * ({@code now_ns}) so that a replay can know the time the decision had.
 */
final class EvaluationScope {
    private Long nowNanos;
    private final Map<String, Long> randoms = new HashMap<>();
    private final Map<String, String> uuids = new HashMap<>();

    /** Starts an evaluation whose {@code time.now_ns} is {@code clock} when given, else read when first asked. */
    void reset(OptionalLong clock) {
        nowNanos = clock.isPresent() ? Long.valueOf(clock.getAsLong()) : null;
        randoms.clear();
        uuids.clear();
    }

    long nowNanos() {
        if (nowNanos == null) {
            java.time.Instant now = java.time.Instant.now();
            nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
        return nowNanos;
    }

    /** The time this evaluation read, if it read the clock at all. */
    OptionalLong clockRead() {
        return nowNanos == null ? OptionalLong.empty() : OptionalLong.of(nowNanos);
    }

    Map<String, Long> randoms() {
        return randoms;
    }

    Map<String, String> uuids() {
        return uuids;
    }
}
