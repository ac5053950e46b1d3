package dev.redline.pdp.server.decision;

/**
 * Told of every decision handed to a front door, e.g. to count it. Called on the thread that hands
 * the decision over, before the front door answers; an implementation must return at once and must
 * not throw.
 */
public interface DecisionObserver {
    /** Observes nothing. */
    DecisionObserver NONE = (decision, arrivedNanos, decidedNanos, answeredNanos) -> {};

    /**
     * {@code decision} is on record (or the log is off) and is being answered.
     *
     * @param arrivedNanos {@link System#nanoTime()} when the request arrived
     * @param decidedNanos {@link System#nanoTime()} when the policy's answer was interpreted
     * @param answeredNanos {@link System#nanoTime()} when the decision was handed over
     */
    void answered(Decision decision, long arrivedNanos, long decidedNanos, long answeredNanos);
}
