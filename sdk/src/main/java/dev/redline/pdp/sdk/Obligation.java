package dev.redline.pdp.sdk;

/**
 * What the caller must do when it acts on an allowed decision, e.g.
 * {@code HUMAN_DECISION_REQUIRED}: the model's output is advice to an accountable human.
 */
public record Obligation(String code, String message) {}
