package dev.redline.pdp.server.decision;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads allow / violations / obligations out of whatever a policy returned, failing closed.
 *
 * <ul>
 *   <li>an object with a boolean {@code allow}: that boolean, unless it lists violations (deny
 *       overrides);
 *   <li>a bare boolean (policies like {@code allow := true}): that boolean;
 *   <li>anything else, or no result at all: deny, with a PDP violation saying why.
 * </ul>
 */
final class ResultInterpreter {
    /** The clause of the violations the PDP itself adds when a policy result cannot be trusted. */
    static final String FAIL_CLOSED_CLAUSE = "pdp/fail-closed";
    static final String POLICY_UNDEFINED = "POLICY_UNDEFINED";
    static final String POLICY_RESULT_INVALID = "POLICY_RESULT_INVALID";

    private static final Comparator<Violation> VIOLATION_ORDER =
            Comparator.comparing(Violation::code).thenComparing(Violation::message);

    private ResultInterpreter() {}

    static Verdict interpret(JsonNode result, String path) {
        if (result.isMissingNode()) {
            return deny(POLICY_UNDEFINED, "the policy produced no result for " + path + "; denied");
        }
        if (result.isBoolean()) {
            return new Verdict(result.booleanValue(), List.of(), List.of());
        }
        JsonNode allow = result.path("allow");
        if (!result.isObject() || !allow.isBoolean()) {
            return deny(POLICY_RESULT_INVALID, "the result of " + path
                    + " is neither a boolean nor an object with a boolean \"allow\"; denied");
        }
        JsonNode violationList = result.path("violations");
        JsonNode obligationList = result.path("obligations");
        if (!isListOrAbsent(violationList) || !isListOrAbsent(obligationList)) {
            // Deny overrides must not depend on the shape: violations (or obligations the caller
            // would never see) in any other form cannot be read, so they cannot be honoured.
            return deny(POLICY_RESULT_INVALID, "the result of " + path
                    + " has \"violations\" or \"obligations\" that are not lists; denied");
        }
        List<Violation> violations = violations(violationList);
        boolean allowed = allow.booleanValue() && violations.isEmpty();
        List<Obligation> obligations = allowed ? obligations(obligationList) : List.of();
        return new Verdict(allowed, violations, obligations);
    }

    private static boolean isListOrAbsent(JsonNode node) {
        return node.isMissingNode() || node.isNull() || node.isArray();
    }

    private static Verdict deny(String code, String message) {
        return new Verdict(false, List.of(new Violation(code, FAIL_CLOSED_CLAUSE, message)), List.of());
    }

    private static List<Violation> violations(JsonNode array) {
        if (!array.isArray() || array.isEmpty()) {
            return List.of();
        }
        List<Violation> violations = new ArrayList<>(array.size());
        for (JsonNode item : array) {
            violations.add(new Violation(text(item, "code"), text(item, "clause"), text(item, "message")));
        }
        violations.sort(VIOLATION_ORDER);
        return List.copyOf(violations);
    }

    private static List<Obligation> obligations(JsonNode array) {
        if (!array.isArray() || array.isEmpty()) {
            return List.of();
        }
        List<Obligation> obligations = new ArrayList<>(array.size());
        for (JsonNode item : array) {
            obligations.add(new Obligation(text(item, "code"), text(item, "message")));
        }
        obligations.sort(Comparator.comparing(Obligation::code));
        return List.copyOf(obligations);
    }

    private static String text(JsonNode item, String field) {
        JsonNode value = item.path(field);
        return value.isTextual() ? value.textValue() : "";
    }
}
