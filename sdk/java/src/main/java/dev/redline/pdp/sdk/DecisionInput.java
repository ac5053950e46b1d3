package dev.redline.pdp.sdk;

import com.google.protobuf.Struct;
import java.util.Map;
import java.util.Objects;

/**
 * What to ask the PDP: an entrypoint of the active policy bundle and the input document to
 * evaluate there.
 *
 * <p>{@link ContractInput} is the typed input of the contract policy ({@code contract/decision}).
 * For any other policy in the bundle, wrap a raw document:
 *
 * <pre>{@code
 * DecisionInput rbac = DecisionInput.of("rbac/allow", Map.of("user", "alice", "action", "read"));
 * Decision decision = pdp.decide(rbac);
 * }</pre>
 *
 * <p>Implementations are immutable and may be reused and shared between threads.
 */
public interface DecisionInput {

    /** The contract policy's entrypoint, {@value}. */
    String CONTRACT_PATH = "contract/decision";

    /**
     * The entrypoint to evaluate, e.g. {@code contract/decision}: slash-separated, without a
     * leading {@code /} or {@code data.} prefix. An empty path asks for the PDP's default
     * entrypoint ({@value #CONTRACT_PATH}).
     */
    String path();

    /** The input document, as the protobuf JSON object sent to the PDP. */
    Struct toStruct();

    /** A raw input document for the entrypoint {@code path}. */
    static DecisionInput of(String path, Struct input) {
        return new RawInput(path, input);
    }

    /**
     * A raw input document for the entrypoint {@code path}, given as JSON-like Java values: maps
     * with string keys, lists (any {@link Iterable}), strings, numbers, booleans and {@code null}.
     * The map is copied; later changes to it are not seen.
     *
     * @throws IllegalArgumentException if the map holds a value that has no JSON form (the message
     *     names where), or a number that is NaN or infinite
     */
    static DecisionInput of(String path, Map<String, ?> input) {
        return new RawInput(path, Structs.toStruct(Objects.requireNonNull(input, "input")));
    }
}
