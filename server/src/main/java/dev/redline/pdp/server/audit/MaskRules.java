package dev.redline.pdp.server.audit;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.redline.pdp.server.decision.MaskAnswer;
import dev.redline.pdp.server.decision.MaskPolicy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Removes or replaces sensitive parts of a decision event before it is logged, as configured
 * ({@code audit-mask}: pointers to remove) and as the deciding bundle's mask policy answered
 * (see {@link MaskPolicy}). Pure: an event and an answer in, the masked event out.
 *
 * <p>The mask policy follows OPA's decision-log masking: it answers a set of JSON pointers to
 * remove, such as {@code "/input/subject/id"}, or of operations
 * {@code {"op": "upsert", "path": "/input/x", "value": ...}} to replace a value
 * ({@code {"op": "remove", "path": ...}} is the long form of a pointer). Pointers must lie under
 * {@code /input} or {@code /result}.
 *
 * <p>The configured pointers are always applied. When the mask policy failed (an error, a timeout,
 * an answer of the wrong shape) the whole input and the whole result are removed as well, and the
 * outcome says why: what the policy would have hidden is unknown and may lie in either, so the log
 * neither leaks it nor withholds the decision for want of a mask (the record still holds the
 * verdict, violation and obligation codes).
 */
public final class MaskRules {
    /** The pointers masked, in the order applied, and why the mask policy failed, if it did. */
    public record Outcome(List<String> masked, Optional<String> error) {}

    private record Operation(String pointerText, JsonPointer pointer, Optional<JsonNode> replacement) {}

    private final List<Operation> configured;

    /** @throws IllegalArgumentException when a configured pointer does not lie under /input or /result */
    public MaskRules(List<String> configured) {
        List<Operation> operations = new ArrayList<>();
        for (String pointer : configured) {
            AuditSettings.checkMaskPointer(pointer);
            operations.add(new Operation(pointer, JsonPointer.compile(pointer), Optional.empty()));
        }
        this.configured = List.copyOf(operations);
    }

    /** Masks {@code event} in place: the configured pointers, then what {@code answer} says. */
    public Outcome apply(ObjectNode event, MaskAnswer answer) {
        List<Operation> operations = new ArrayList<>(configured);
        Optional<String> error = answer.failure();
        if (error.isEmpty() && answer.answer().isPresent()) {
            try {
                operations.addAll(operations(answer.answer().get()));
            } catch (MaskAnswerException e) {
                error = Optional.of(e.getMessage());
            }
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

    private static List<Operation> operations(JsonNode answer) throws MaskAnswerException {
        if (!answer.isArray()) {
            throw new MaskAnswerException("the mask policy " + MaskPolicy.ENTRYPOINT
                    + " must answer a set of JSON pointers or operations, not " + answer.getNodeType());
        }
        List<Operation> operations = new ArrayList<>();
        for (JsonNode item : answer) {
            operations.add(operation(item));
        }
        return operations;
    }

    private static Operation operation(JsonNode item) throws MaskAnswerException {
        String op = item.isTextual() ? "remove" : item.path("op").asText("");
        String pointer = item.isTextual() ? item.textValue() : item.path("path").asText("");
        if (!op.equals("remove") && !op.equals("upsert")) {
            throw new MaskAnswerException("the mask policy " + MaskPolicy.ENTRYPOINT + " answered " + item
                    + "; expected a JSON pointer or {\"op\": \"remove\"|\"upsert\", \"path\": ...}");
        }
        try {
            AuditSettings.checkMaskPointer(pointer);
        } catch (IllegalArgumentException e) {
            throw new MaskAnswerException("the mask policy " + MaskPolicy.ENTRYPOINT + " answered " + item + ": "
                    + e.getMessage());
        }
        if (op.equals("upsert") && !item.has("value")) {
            throw new MaskAnswerException("the mask policy " + MaskPolicy.ENTRYPOINT
                    + " answered an upsert without a value: " + item);
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

    /** The mask policy's answer has the wrong shape; the input and result are logged masked whole. */
    private static final class MaskAnswerException extends Exception {
        MaskAnswerException(String message) {
            super(message);
        }
    }
}
