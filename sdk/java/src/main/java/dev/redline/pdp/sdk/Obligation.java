package dev.redline.pdp.sdk;

import java.util.Objects;

/**
 * What the caller must do when it acts on an allowed decision.
 *
 * <p>The contract's obligations: {@code HUMAN_DECISION_REQUIRED} (the model's output is advice to
 * an accountable human), {@code US_PERSON_MINIMIZATION} (minimize incidental U.S.-person
 * information), {@code HUMAN_REVIEW_REQUIRED} (a human reviews the automated decision before it
 * takes effect), {@code PROVIDER_OVERRIDE_AUDITED} (the provider's override of a refusal is
 * audited). Code that meets an obligation it does not know should not act.
 *
 * @param code stable machine-readable code, e.g. {@code HUMAN_DECISION_REQUIRED}
 * @param message what the caller must do, in words
 */
public record Obligation(String code, String message) {
    public Obligation {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
