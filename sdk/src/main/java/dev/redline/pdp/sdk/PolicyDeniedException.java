package dev.redline.pdp.sdk;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown by {@link PdpClient#enforce} when the PDP denied the action; carries the whole decision. */
public final class PolicyDeniedException extends RuntimeException {
    private final Decision decision;

    public PolicyDeniedException(Decision decision) {
        super("denied by policy: " + decision.violations().stream()
                .map(v -> v.code() + " (" + v.message() + ")").collect(Collectors.joining("; ")));
        this.decision = decision;
    }

    public Decision decision() {
        return decision;
    }

    public List<Violation> violations() {
        return decision.violations();
    }
}
