package dev.redline.pdp.server.decision;

/**
 * Where {@link RecordedDecisions} offers each decision for shadow evaluation on another bundle. The
 * offer is taken while the input buffer is still the caller's (it may be reused once the decision
 * is handed back); the evaluation starts only once the decision has been answered, so the shadow
 * never delays, changes or fails an answer.
 */
public interface DecisionShadow {
    /** Nothing is shadowed. */
    DecisionShadow NONE = (decision, input, length) -> null;

    /** An offer accepted for evaluation. */
    interface Pending {
        /** The decision was answered: evaluate it on the shadow now (never on the caller's thread). */
        void start();

        /** The decision was withheld (its record failed): nothing to compare with. */
        void cancel();
    }

    /**
     * Offers {@code decision}, decided on {@code input[0, length)}. Must return at once and never throw;
     * an implementation that is busy, not shadowing, or does not sample this decision returns
     * {@code null}.
     */
    Pending offer(Decision decision, byte[] input, int length);
}
