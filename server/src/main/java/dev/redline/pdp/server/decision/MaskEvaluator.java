package dev.redline.pdp.server.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.engine.Evaluation;
import dev.redline.pdp.server.engine.EvaluationException;
import dev.redline.pdp.server.engine.LoadedPolicy;
import dev.redline.pdp.server.engine.PolicyEngine;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Evaluates {@value MaskPolicy#ENTRYPOINT} on the bundle that made a decision, not on whichever is
 * active when the decision is recorded: the bundle that decided is the one that knows what its
 * decisions hold. When that bundle has been unloaded since, the mask fails, and the log masks the
 * input and result whole ({@code mask_error}).
 */
public final class MaskEvaluator {
    private final PolicyEngine engine;
    private final ObjectMapper json;

    public MaskEvaluator(PolicyEngine engine, ObjectMapper json) {
        this.engine = engine;
        this.json = json;
    }

    /** The mask policy of {@code decidedBy}, or {@link MaskPolicy#NONE} when it exports none. */
    public MaskPolicy of(LoadedPolicy decidedBy) {
        return decidedBy.exports(MaskPolicy.ENTRYPOINT) ? event -> evaluate(decidedBy, event) : MaskPolicy.NONE;
    }

    private MaskAnswer evaluate(LoadedPolicy decidedBy, JsonNode event) {
        try {
            byte[] input = json.writeValueAsBytes(event);
            Evaluation evaluation = engine.evaluateOn(decidedBy, MaskPolicy.ENTRYPOINT, input, input.length,
                    System.nanoTime() + TimeUnit.DAYS.toNanos(1)); // the engine's own eval timeout applies
            JsonNode set = json.readTree(evaluation.resultSet());
            if (set == null || !set.isArray() || set.isEmpty()) {
                return MaskAnswer.NONE; // undefined: nothing to mask
            }
            return MaskAnswer.of(set.get(0).path("result"));
        } catch (EvaluationException e) {
            return MaskAnswer.failed("the mask policy " + MaskPolicy.ENTRYPOINT + " failed: " + e.getMessage());
        } catch (IOException e) {
            return MaskAnswer.failed("the mask policy " + MaskPolicy.ENTRYPOINT + " answered unreadable JSON: "
                    + e.getMessage());
        }
    }
}
