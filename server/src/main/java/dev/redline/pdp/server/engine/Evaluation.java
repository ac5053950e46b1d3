package dev.redline.pdp.server.engine;

import dev.redline.pdp.server.bundle.Bundle;

/**
 * What one evaluation produced.
 *
 * @param resultSet OPA's result set as JSON: {@code [{"result": ...}]}, or {@code []} when the
 *     entrypoint is undefined for the input
 * @param bundle the bundle that decided
 * @param evalNanos time spent inside the policy
 */
public record Evaluation(byte[] resultSet, Bundle bundle, long evalNanos) {}
