package dev.redline.pdp.sdk;

import java.util.Objects;

/**
 * Why a request was denied.
 *
 * @param code stable machine-readable code, e.g. {@code AUTONOMOUS_WEAPONS}, or one of the SDK's
 *     own fail-closed codes ({@link Decision#PDP_UNAVAILABLE}, {@link Decision#PDP_TIMEOUT},
 *     {@link Decision#PDP_ERROR})
 * @param clause the contract clause, e.g. {@code red-line/autonomous-weapons}, or
 *     {@value Decision#FAIL_CLOSED_CLAUSE} for the SDK's own
 * @param message a human explanation, for logs and operators; match on {@code code}, not on this
 */
public record Violation(String code, String clause, String message) {
    public Violation {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(clause, "clause");
        Objects.requireNonNull(message, "message");
    }
}
