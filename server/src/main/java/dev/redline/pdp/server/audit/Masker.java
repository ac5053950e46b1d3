package dev.redline.pdp.server.audit;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.redline.pdp.server.engine.Evaluation;
import dev.redline.pdp.server.engine.EvaluationException;
import dev.redline.pdp.server.engine.PolicyEngine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Removes or replaces sensitive parts of a decision before it is logged, as configured
 * ({@code audit-mask}: pointers to remove) and as the active bundle's mask policy says.
 *
 * <p>The mask policy follows OPA's decision-log masking: when the bundle exports the entrypoint
 * {@value #POLICY_ENTRYPOINT}, it is evaluated with the event to log as its input
 * ({@code {"decision_id", "path", "input", "result", "allow"}}) and answers a set of JSON pointers
 * to remove, such as {@code "/input/subject/id"}, or of operations
 * {@code {"op": "upsert", "path": "/input/x", "value": ...}} to replace a value
 * ({@code {"op": "remove", "path": ...}} is the long form of a pointer). Pointers must lie under
 * {@code /input} or {@code /result}.
 *
 * <p>The configured pointers are always applied. When the mask policy fails (an error, a timeout,
 * an answer of the wrong shape) the whole input and the whole result are removed as well, and the
 * record says why: what the policy would have hidden is unknown and may lie in either, so the log
 * neither leaks it nor withholds the decision for want of a mask (the record still holds the
 * verdict, violation and obligation codes).
 */
public final class Masker {
    public static final String POLICY_ENTRYPOINT = "system/log/mask";

    /** The masks to apply and what came of them. */
    record Outcome(List<String> masked, Optional<String> error) {}

    private record Operation(String pointerText, JsonPointer pointer, Optional<JsonNode> replacement) {}

    private final List<String> configured;
    private final PolicyEngine engine;
    private final ObjectMapper json;

    public Masker(List<String> configured, PolicyEngine engine, ObjectMapper json) {
        configured.forEach(AuditSettings::checkMaskPointer);
        this.configured = List.copyOf(configured);
        this.engine = engine;
        this.json = json;
    }

    /** Masks {@code event} in place. */
    Outcome mask(ObjectNode event) {
        List<Operation> operations = new ArrayList<>();
        for (String pointer : configured) {
            operations.add(new Operation(pointer, JsonPointer.compile(pointer), Optional.empty()));
        }
        Optional<String> error = Optional.empty();
        try {
            operations.addAll(policyOperations(event));
        } catch (MaskPolicyException e) {
            error = Optional.of(e.getMessage());
        }
        Set<String> masked = new LinkedHashSet<>();
        for (Operation operation : operations) {
            if (apply(event, operation)) {
                masked.add(operation.pointerText());
            }
        }
        if (error.isPresent()) {
            for (String whole : List.of("input", "result")) {
                if (event.remove(whole) != null) {
                    masked.add("/" + whole);
                }
            }
        }
        return new Outcome(List.copyOf(masked), error);
    }

    private List<Operation> policyOperations(ObjectNode event) throws MaskPolicyException {
        if (!engine.exports(POLICY_ENTRYPOINT)) {
            return List.of();
        }
        JsonNode answer;
        try {
            byte[] input = json.writeValueAsBytes(event);
            Evaluation evaluation = engine.evaluate(POLICY_ENTRYPOINT, input, input.length,
                    System.nanoTime() + TimeUnit.DAYS.toNanos(1)); // the engine's own eval timeout applies
            JsonNode set = json.readTree(evaluation.resultSet());
            if (set == null || !set.isArray() || set.isEmpty()) {
                return List.of(); // undefined: nothing to mask
            }
            answer = set.get(0).path("result");
        } catch (EvaluationException e) {
            if (e.kind() == EvaluationException.Kind.UNKNOWN_ENTRYPOINT) {
                return List.of(); // the bundle changed under us and the new one has no mask policy
            }
            throw new MaskPolicyException("the mask policy " + POLICY_ENTRYPOINT + " failed: " + e.getMessage());
        } catch (IOException e) {
            throw new MaskPolicyException("the mask policy " + POLICY_ENTRYPOINT + " answered unreadable JSON: "
                    + e.getMessage());
        }
        if (!answer.isArray()) {
            throw new MaskPolicyException("the mask policy " + POLICY_ENTRYPOINT
                    + " must answer a set of JSON pointers or operations, not " + answer.getNodeType());
        }
        List<Operation> operations = new ArrayList<>();
        for (JsonNode item : answer) {
            operations.add(operation(item));
        }
        return operations;
    }

    private static Operation operation(JsonNode item) throws MaskPolicyException {
        String op = item.isTextual() ? "remove" : item.path("op").asText("");
        String pointer = item.isTextual() ? item.textValue() : item.path("path").asText("");
        if (!op.equals("remove") && !op.equals("upsert")) {
            throw new MaskPolicyException("the mask policy " + POLICY_ENTRYPOINT + " answered " + item
                    + "; expected a JSON pointer or {\"op\": \"remove\"|\"upsert\", \"path\": ...}");
        }
        try {
            AuditSettings.checkMaskPointer(pointer);
        } catch (IllegalArgumentException e) {
            throw new MaskPolicyException("the mask policy " + POLICY_ENTRYPOINT + " answered " + item + ": "
                    + e.getMessage());
        }
        if (op.equals("upsert") && !item.has("value")) {
            throw new MaskPolicyException("the mask policy " + POLICY_ENTRYPOINT + " answered an upsert without a value: "
                    + item);
        }
        return new Operation(pointer, JsonPointer.compile(pointer),
                op.equals("upsert") ? Optional.of(item.get("value")) : Optional.empty());
    }

    /** Removes or replaces what the pointer names; false when it names nothing. */
    private static boolean apply(ObjectNode event, Operation operation) {
        JsonPointer pointer = operation.pointer();
        JsonNode parent = event.at(pointer.head());
        String property = pointer.last().getMatchingProperty();
        int index = pointer.last().getMatchingIndex();
        if (parent instanceof ObjectNode object) {
            if (operation.replacement().isPresent()) {
                object.set(property, operation.replacement().get());
                return true;
            }
            return object.remove(property) != null;
        }
        if (parent instanceof ArrayNode array && index >= 0 && index < array.size()) {
            if (operation.replacement().isPresent()) {
                array.set(index, operation.replacement().get());
            } else {
                array.remove(index);
            }
            return true;
        }
        return false;
    }

    /** The mask policy could not be applied; the input and result are logged masked whole. */
    private static final class MaskPolicyException extends Exception {
        MaskPolicyException(String message) {
            super(message);
        }
    }
}
