package dev.redline.pdp.sdk;

import java.util.List;

/**
 * The PDP's answer: allow or deny, and why.
 *
 * <p>A {@code Decision} is never an allow the PDP did not make: when the PDP cannot be asked, the
 * SDK answers a deny carrying one of its own codes ({@link #PDP_UNAVAILABLE}, {@link #PDP_TIMEOUT},
 * {@link #PDP_ERROR}, clause {@link #FAIL_CLOSED_CLAUSE}).
 *
 * @param allowed true only when the PDP allowed the request
 * @param violations why it was denied, sorted by code; empty when allowed
 * @param obligations what the caller must do, sorted by code; empty when denied
 * @param decisionId the PDP's id for this decision ("" for the SDK's own fail-closed denies)
 * @param requestId the caller's correlation id, echoed
 * @param bundleName the policy bundle that decided ("" when the PDP was not reached)
 * @param bundleRevision its revision ("" when the PDP was not reached)
 */
public record Decision(boolean allowed, List<Violation> violations, List<Obligation> obligations, String decisionId,
        String requestId, String bundleName, String bundleRevision) {

    /** The PDP could not be reached (connection refused, no route, shutting down). */
    public static final String PDP_UNAVAILABLE = "PDP_UNAVAILABLE";
    /** The PDP did not answer within the deadline. */
    public static final String PDP_TIMEOUT = "PDP_TIMEOUT";
    /** The PDP answered with an error status; the message names the status and its description. */
    public static final String PDP_ERROR = "PDP_ERROR";
    /** The clause of the SDK's own fail-closed violations. */
    public static final String FAIL_CLOSED_CLAUSE = "pdp/fail-closed";

    public Decision {
        violations = List.copyOf(violations);
        obligations = List.copyOf(obligations);
    }

    /** A deny the SDK makes itself because the PDP could not decide. */
    static Decision failClosed(String code, String message, String requestId) {
        return new Decision(false, List.of(new Violation(code, FAIL_CLOSED_CLAUSE, message)), List.of(), "",
                requestId, "", "");
    }

    public boolean hasViolation(String code) {
        return violations.stream().anyMatch(v -> v.code().equals(code));
    }

    public boolean hasObligation(String code) {
        return obligations.stream().anyMatch(o -> o.code().equals(code));
    }

    /** True when the deny came from the SDK because the PDP could not be asked. */
    public boolean isFailClosed() {
        return violations.stream().anyMatch(v -> v.clause().equals(FAIL_CLOSED_CLAUSE)
                && (v.code().equals(PDP_UNAVAILABLE) || v.code().equals(PDP_TIMEOUT) || v.code().equals(PDP_ERROR)));
    }
}
