package dev.redline.pdp.server.decision;

/**
 * A decision was made but its record could not be made durable, so it is withheld: the caller
 * denies and may retry. The message says why the log could not take it.
 */
public final class DecisionNotRecordedException extends RuntimeException {
    public DecisionNotRecordedException(String why, Throwable cause) {
        super("the decision was made but not recorded, so it is withheld: " + why, cause);
    }
}
