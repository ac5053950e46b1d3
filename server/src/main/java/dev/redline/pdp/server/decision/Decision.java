package dev.redline.pdp.server.decision;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.OptionalLong;

/**
 * One answer of the PDP.
 *
 * @param decisionId unique id, time-ordered
 * @param requestId the caller's correlation id ("" when none)
 * @param path the entrypoint evaluated
 * @param allow true only when the policy result said so, with no violation
 * @param violations why it is denied, sorted by code; empty when allowed
 * @param obligations what the caller must do, sorted by code; empty when denied
 * @param result the raw policy result ({@code MissingNode} when the policy was undefined)
 * @param bundle the bundle that decided
 * @param evalNanos time spent in the policy
 * @param nowNanos the {@code time.now_ns} the policy saw, when it read the clock
 */
public record Decision(
        String decisionId,
        String requestId,
        String path,
        boolean allow,
        List<Violation> violations,
        List<Obligation> obligations,
        JsonNode result,
        BundleRef bundle,
        long evalNanos,
        OptionalLong nowNanos) {}
