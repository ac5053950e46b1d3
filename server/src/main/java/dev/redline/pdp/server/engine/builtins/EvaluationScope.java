package dev.redline.pdp.server.engine.builtins;

import java.util.HashMap;
import java.util.Map;

/**
 * What stays fixed for the length of one evaluation, as in OPA: {@code time.now_ns} reads the
 * clock once, {@code rand.intn} gives one number per (string, n) pair and {@code uuid.rfc4122}
 * one UUID per key.
 *
 * <p>The decision log does not record the time yet: a replay evaluates with the clock of its own
 * day (to do with the replay work).
 */
final class EvaluationScope {
    private Long nowNanos;
    private final Map<String, Long> randoms = new HashMap<>();
    private final Map<String, String> uuids = new HashMap<>();

    void reset() {
        nowNanos = null;
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

    Map<String, Long> randoms() {
        return randoms;
    }

    Map<String, String> uuids() {
        return uuids;
    }
}
