package dev.redline.pdp.server.engine;

import dev.redline.pdp.server.bundle.Bundle;
import java.util.OptionalLong;

/**
 * What one evaluation produced.
 *
 * @param resultSet OPA's result set as JSON: {@code [{"result": ...}]}, or {@code []} when the
 *     entrypoint is undefined for the input
 * @param policy the loaded bundle that decided, to evaluate on again (e.g. its decision-log mask)
 * @param evalNanos time spent inside the policy
 * @param nowNanos the {@code time.now_ns} the evaluation used, when the policy read the clock
 */
public record Evaluation(byte[] resultSet, LoadedPolicy policy, long evalNanos, OptionalLong nowNanos) {
    /** The bundle that decided. */
    public Bundle bundle() {
        return policy.bundle();
    }
}
