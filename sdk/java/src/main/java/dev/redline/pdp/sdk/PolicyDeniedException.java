package dev.redline.pdp.sdk;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by {@link PdpClient#enforce} when the request was denied, by the policy or by the SDK
 * failing closed; the action was not run. Carries the whole {@link Decision}.
 *
 * <pre>{@code
 * try {
 *     return pdp.enforce(input, () -> model.complete(prompt));
 * } catch (PolicyDeniedException denied) {
 *     log.warn("denied {}: {}", denied.decision().decisionId(), denied.decision().violationCodes());
 *     return refusal(denied.violations());
 * }
 * }</pre>
 */
public final class PolicyDeniedException extends RuntimeException {
    private final Decision decision;

    /**
     * @param decision the deny
     * @throws IllegalArgumentException if {@code decision} is an allow
     */
    public PolicyDeniedException(Decision decision) {
        super(message(decision));
        this.decision = decision;
    }

    private static String message(Decision decision) {
        if (decision.allowed()) {
            throw new IllegalArgumentException("an allow is not a denial: " + decision);
        }
        if (decision.violations().isEmpty()) {
            return "denied by policy (no violation given)";
        }
        return "denied by policy: " + decision.violations().stream()
                .map(v -> v.code() + " [" + v.clause() + "] " + v.message()).collect(Collectors.joining("; "));
    }

    /** The deny. */
    public Decision decision() {
        return decision;
    }

    /** Why it was denied: the decision's violations. */
    public List<Violation> violations() {
        return decision.violations();
    }
}
