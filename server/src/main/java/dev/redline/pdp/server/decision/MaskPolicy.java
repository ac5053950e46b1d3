package dev.redline.pdp.server.decision;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The decision-log mask policy of the bundle that made a decision: asked, with the event to log
 * ({@code {"decision_id", "path", "input", "result", "allow"}}) as its input, what to mask. The
 * log applies the answer with its mask rules.
 */
public interface MaskPolicy {
    /** The entrypoint a bundle exports to mask its decisions in the log, as OPA names it. */
    String ENTRYPOINT = "system/log/mask";

    /** A bundle without a mask policy, or a log that does not ask. */
    MaskPolicy NONE = event -> MaskAnswer.NONE;

    /** What the policy answers for {@code event}; never throws, a failure is an answer too. */
    MaskAnswer answer(JsonNode event);
}
