package dev.redline.pdp.sdk;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The PDP's answer: allow or deny, and why.
 *
 * <p>A {@code Decision} is never an allow the PDP did not make. When the PDP cannot be asked,
 * the SDK answers a deny itself, with exactly one violation of clause
 * {@value #FAIL_CLOSED_CLAUSE} and one of these codes:
 *
 * <table>
 * <caption>The SDK's fail-closed codes</caption>
 * <tr><th>code</th><th>when</th></tr>
 * <tr><td>{@value #PDP_UNAVAILABLE}</td><td>the PDP is unreachable: connection refused, no route,
 *     TLS handshake failed, shutting down (gRPC {@code UNAVAILABLE})</td></tr>
 * <tr><td>{@value #PDP_TIMEOUT}</td><td>no answer within the deadline (gRPC
 *     {@code DEADLINE_EXCEEDED})</td></tr>
 * <tr><td>{@value #PDP_ERROR}</td><td>any other error status, e.g. {@code NOT_FOUND} for an
 *     entrypoint the bundle does not have; the message names the status code and the PDP's
 *     description</td></tr>
 * </table>
 *
 * <p>Such a deny has an empty {@link #decisionId}, {@link #bundleName} and
 * {@link #bundleRevision}; {@link #isFailClosed} tells it from a policy's deny.
 *
 * @param allowed true only when the PDP allowed the request
 * @param violations why it was denied, sorted by code; empty when allowed
 * @param obligations what the caller must do when it acts, sorted by code; empty when denied
 * @param decisionId the PDP's unique id for this decision, for audit ({@code ""} for the SDK's
 *     own fail-closed denies)
 * @param requestId the caller's correlation id, echoed ({@code ""} when none was given)
 * @param bundleName the policy bundle that decided ({@code ""} when the PDP was not reached)
 * @param bundleRevision that bundle's revision ({@code ""} when the PDP was not reached)
 */
public record Decision(boolean allowed, List<Violation> violations, List<Obligation> obligations, String decisionId,
        String requestId, String bundleName, String bundleRevision) {

    /** Fail-closed code: the PDP could not be reached. */
    public static final String PDP_UNAVAILABLE = "PDP_UNAVAILABLE";
    /** Fail-closed code: the PDP did not answer within the deadline. */
    public static final String PDP_TIMEOUT = "PDP_TIMEOUT";
    /** Fail-closed code: the PDP answered an error status; the message names the status. */
    public static final String PDP_ERROR = "PDP_ERROR";
    /** The clause of the SDK's own fail-closed violations. */
    public static final String FAIL_CLOSED_CLAUSE = "pdp/fail-closed";

    /**
     * @throws IllegalArgumentException if an allow carries violations or a deny carries
     *     obligations
     */
    public Decision {
        violations = List.copyOf(violations);
        obligations = List.copyOf(obligations);
        Objects.requireNonNull(decisionId, "decisionId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(bundleName, "bundleName");
        Objects.requireNonNull(bundleRevision, "bundleRevision");
        if (allowed && !violations.isEmpty()) {
            throw new IllegalArgumentException("an allow cannot carry violations: " + violations);
        }
        if (!allowed && !obligations.isEmpty()) {
            throw new IllegalArgumentException("a deny cannot carry obligations: " + obligations);
        }
    }

    /** A deny the SDK makes itself because the PDP could not decide. */
    static Decision failClosed(String code, String message, String requestId) {
        return new Decision(false, List.of(new Violation(code, FAIL_CLOSED_CLAUSE, message)), List.of(), "",
                requestId == null ? "" : requestId, "", "");
    }

    /** Whether a violation with this code denied the request. */
    public boolean hasViolation(String code) {
        return violations.stream().anyMatch(v -> v.code().equals(code));
    }

    /** Whether the caller must honour an obligation with this code. */
    public boolean hasObligation(String code) {
        return obligations.stream().anyMatch(o -> o.code().equals(code));
    }

    /** The obligation with this code, if the caller must honour one. */
    public Optional<Obligation> obligation(String code) {
        return obligations.stream().filter(o -> o.code().equals(code)).findFirst();
    }

    /** The codes of {@link #violations}, in order. */
    public List<String> violationCodes() {
        return violations.stream().map(Violation::code).toList();
    }

    /** The codes of {@link #obligations}, in order. */
    public List<String> obligationCodes() {
        return obligations.stream().map(Obligation::code).toList();
    }

    /**
     * True when this is the SDK's own deny because the PDP could not decide (code
     * {@value #PDP_UNAVAILABLE}, {@value #PDP_TIMEOUT} or {@value #PDP_ERROR}), not a policy's.
     */
    public boolean isFailClosed() {
        return !allowed && violations.stream().anyMatch(v -> v.clause().equals(FAIL_CLOSED_CLAUSE)
                && (v.code().equals(PDP_UNAVAILABLE) || v.code().equals(PDP_TIMEOUT) || v.code().equals(PDP_ERROR)));
    }
}
