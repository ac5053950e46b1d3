package dev.redline.pdp.server.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.redline.pdp.server.decision.NoDecisionException.Kind;
import dev.redline.pdp.server.engine.Evaluation;
import dev.redline.pdp.server.engine.EvaluationException;
import dev.redline.pdp.server.engine.LoadedPolicy;
import dev.redline.pdp.server.engine.PolicyEngine;
import java.io.IOException;

/**
 * Turns a question (entrypoint path + input JSON) into a {@link Decision}: evaluates it on the
 * active bundle and reads the verdict out of the result, failing closed. It records nothing: front
 * doors decide through {@link RecordedDecisions}, which answers only what the log holds.
 */
public final class PolicyDecider {
    /** The contract entrypoint, used when a request names none. */
    public static final String DEFAULT_PATH = "contract/decision";

    /** A decision and the loaded bundle that made it. */
    record Decided(Decision decision, LoadedPolicy policy) {}

    private final PolicyEngine engine;
    private final ObjectMapper json;

    public PolicyDecider(PolicyEngine engine, ObjectMapper json) {
        this.engine = engine;
        this.json = json;
    }

    /**
     * Decides one request.
     *
     * @param requestId the caller's correlation id, echoed ("" for none)
     * @param path the entrypoint, e.g. {@code contract/decision}; "" for the default
     * @param input UTF-8 JSON of the input document, in {@code input[0, length)}; no bytes
     *     ({@code length} 0) for a request with no input, which the policy sees as undefined
     * @param deadlineNanos {@link System#nanoTime()} by which the answer is due
     * @throws InvalidRequestException when the path or input breaks a request rule
     * @throws NoDecisionException when no decision could be made (never an allow)
     */
    public Decision decide(String requestId, String path, byte[] input, int length, long deadlineNanos) {
        return decide(requestId, path, input, length, System.nanoTime(), deadlineNanos);
    }

    /**
     * Decides one request that arrived at {@code arrivedNanos} ({@link System#nanoTime()}); the
     * engine's queue timeout counts from then.
     *
     * @see #decide(String, String, byte[], int, long)
     */
    public Decision decide(String requestId, String path, byte[] input, int length, long arrivedNanos,
            long deadlineNanos) {
        return decideOn(requestId, path, input, length, arrivedNanos, deadlineNanos).decision();
    }

    /** As {@link #decide(String, String, byte[], int, long, long)}, with the bundle that decided. */
    Decided decideOn(String requestId, String path, byte[] input, int length, long arrivedNanos,
            long deadlineNanos) {
        String entrypoint = RequestBounds.entrypoint(path);
        RequestBounds.requestId(requestId);
        Evaluation evaluation;
        try {
            evaluation = engine.evaluate(entrypoint, input, length, arrivedNanos, deadlineNanos);
        } catch (EvaluationException e) {
            throw noDecision(e);
        }
        return new Decided(decision(requestId, entrypoint, evaluation), evaluation.policy());
    }

    /**
     * Decides {@code path} on {@code input[0, length)} with {@code policy}, a loaded bundle that need
     * not be active (a candidate replaying logged questions): the same verdict rules, failing closed.
     * The decision is not recorded; its id is new.
     *
     * @throws NoDecisionException when no decision could be made (never an allow)
     */
    public Decision decideWith(LoadedPolicy policy, String path, byte[] input, int length, long deadlineNanos) {
        return decideWith(policy, path, input, length, deadlineNanos, java.util.OptionalLong.empty());
    }

    /**
     * As above, asking again about a decision already made: the policy's {@code time.now_ns} is
     * {@code clock}, the time that decision's evaluation read, when it read one.
     */
    public Decision decideWith(LoadedPolicy policy, String path, byte[] input, int length, long deadlineNanos,
            java.util.OptionalLong clock) {
        Evaluation evaluation;
        try {
            evaluation = engine.evaluateOn(policy, path, input, length, deadlineNanos, clock);
        } catch (EvaluationException e) {
            throw noDecision(e);
        }
        return decision("", path, evaluation);
    }

    /** The verdict of {@code evaluation}, read as every decision is, failing closed. */
    private Decision decision(String requestId, String path, Evaluation evaluation) {
        JsonNode result = firstResult(evaluation.resultSet(), path);
        Verdict verdict = ResultInterpreter.interpret(result, path);
        return new Decision(DecisionIds.next(), requestId, path, verdict.allow(), verdict.violations(),
                verdict.obligations(), result, BundleRef.of(evaluation.bundle()), evaluation.evalNanos(),
                evaluation.nowNanos());
    }

    /** OPA answers a result set, {@code [{"result": value}]}; undefined is {@code []}. */
    private JsonNode firstResult(byte[] resultSet, String path) {
        JsonNode set;
        try {
            set = json.readTree(resultSet);
        } catch (IOException e) {
            throw new NoDecisionException(Kind.ENGINE_FAILURE,
                    "the policy returned unreadable JSON for " + path + ": " + e.getMessage(), e);
        }
        if (set == null || !set.isArray()) {
            throw new NoDecisionException(Kind.ENGINE_FAILURE, "the policy returned no result set for " + path);
        }
        return set.isEmpty() ? MissingNode.getInstance() : set.get(0).path("result");
    }

    /** The engine's failure in the decision layer's terms, so front doors need not know the engine. */
    static NoDecisionException noDecision(EvaluationException e) {
        Kind kind = switch (e.kind()) {
            case UNKNOWN_ENTRYPOINT -> Kind.UNKNOWN_ENTRYPOINT;
            case INPUT_TOO_LARGE -> Kind.INPUT_TOO_LARGE;
            case DEADLINE_EXCEEDED -> Kind.DEADLINE_EXCEEDED;
            case NO_INSTANCE_AVAILABLE -> Kind.NO_INSTANCE_AVAILABLE;
            case NO_ACTIVE_BUNDLE -> Kind.NO_ACTIVE_BUNDLE;
            case ENGINE_FAILURE -> Kind.ENGINE_FAILURE;
        };
        return new NoDecisionException(kind, e.getMessage(), e);
    }
}
