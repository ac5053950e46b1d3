package dev.redline.pdp.sdk;

/**
 * Why a request was denied.
 *
 * @param code stable machine-readable code, e.g. {@code AUTONOMOUS_WEAPONS}, or one of the SDK's
 *     own {@link Decision#PDP_UNAVAILABLE fail-closed codes}
 * @param clause the contract clause, e.g. {@code red-line/autonomous-weapons}
 * @param message a human explanation
 */
public record Violation(String code, String clause, String message) {}
