package dev.redline.pdp.server.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResultInterpreterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "contract/decision";

    private static final String INVALID_MESSAGE =
            "the result of contract/decision is neither a boolean nor an object with a boolean \"allow\"; denied";

    // ---- fail closed ----------------------------------------------------------------------------

    @Test
    void deniesAsPolicyUndefinedWhenThereIsNoResult() {
        Verdict verdict = ResultInterpreter.interpret(MissingNode.getInstance(), PATH);

        assertEquals(new Verdict(false,
                List.of(new Violation("POLICY_UNDEFINED", "pdp/fail-closed",
                        "the policy produced no result for contract/decision; denied")),
                List.of()), verdict);
    }

    @Test
    void namesTheEvaluatedPathWhenThereIsNoResult() {
        Verdict verdict = ResultInterpreter.interpret(MissingNode.getInstance(), "examples/allow");

        assertEquals("the policy produced no result for examples/allow; denied", verdict.violations().get(0).message());
    }

    @Test
    void deniesAsResultInvalidWhenAllowIsTheStringTrue() throws Exception {
        assertEquals(invalid(), interpret("{\"allow\":\"true\"}"));
    }

    @Test
    void deniesAsResultInvalidWhenAllowIsMissing() throws Exception {
        assertEquals(invalid(), interpret("{\"violations\":[]}"));
    }

    @ParameterizedTest(name = "result {0}")
    @ValueSource(strings = {"1", "0", "\"allow\"", "[true]", "[]", "null", "{\"allow\":1}", "{\"allow\":null}"})
    void deniesAsResultInvalidWhenTheResultIsNeitherABooleanNorAnObjectWithABooleanAllow(String result)
            throws Exception {
        assertEquals(invalid(), interpret(result));
    }

    // ---- bare booleans --------------------------------------------------------------------------

    @Test
    void allowsWhenTheResultIsTrue() throws Exception {
        assertEquals(new Verdict(true, List.of(), List.of()), interpret("true"));
    }

    @Test
    void deniesWithoutViolationsWhenTheResultIsFalse() throws Exception {
        assertEquals(new Verdict(false, List.of(), List.of()), interpret("false"));
    }

    // ---- decision objects -----------------------------------------------------------------------

    @Test
    void allowsWithObligationsSortedByCode() throws Exception {
        Verdict verdict = interpret("{\"allow\":true,\"violations\":[],\"obligations\":["
                + "{\"code\":\"LOG_DECISION\",\"message\":\"log it\"},"
                + "{\"code\":\"HUMAN_REVIEW\",\"message\":\"review it\"},"
                + "{\"code\":\"AUDIT_TRAIL\",\"message\":\"keep it\"}]}");

        assertEquals(new Verdict(true, List.of(), List.of(
                new Obligation("AUDIT_TRAIL", "keep it"),
                new Obligation("HUMAN_REVIEW", "review it"),
                new Obligation("LOG_DECISION", "log it"))), verdict);
    }

    @Test
    void allowsWithNoObligationsWhenThePolicyListsNone() throws Exception {
        assertEquals(new Verdict(true, List.of(), List.of()), interpret("{\"allow\":true}"));
    }

    @Test
    void deniesWhenAllowIsTrueButViolationsAreListedAndDropsTheObligations() throws Exception {
        Verdict verdict = interpret("{\"allow\":true,"
                + "\"violations\":[{\"code\":\"NO_HUMAN_REVIEW\",\"clause\":\"4.2\",\"message\":\"needs a human\"}],"
                + "\"obligations\":[{\"code\":\"LOG_DECISION\",\"message\":\"log it\"}]}");

        assertEquals(new Verdict(false,
                List.of(new Violation("NO_HUMAN_REVIEW", "4.2", "needs a human")),
                List.of()), verdict);
    }

    @Test
    void deniesWithoutObligationsWhenAllowIsFalseEvenIfThePolicyListsSome() throws Exception {
        Verdict verdict = interpret("{\"allow\":false,\"violations\":[],"
                + "\"obligations\":[{\"code\":\"LOG_DECISION\",\"message\":\"log it\"}]}");

        assertEquals(new Verdict(false, List.of(), List.of()), verdict);
    }

    @Test
    void sortsViolationsByCodeThenMessageRegardlessOfPolicyOrder() throws Exception {
        Verdict verdict = interpret("{\"allow\":false,\"violations\":["
                + "{\"code\":\"SOCIAL_SCORING\",\"clause\":\"3.1\",\"message\":\"a\"},"
                + "{\"code\":\"MASS_SURVEILLANCE\",\"clause\":\"2.2\",\"message\":\"z\"},"
                + "{\"code\":\"MASS_SURVEILLANCE\",\"clause\":\"2.1\",\"message\":\"b\"}]}");

        assertEquals(List.of(
                new Violation("MASS_SURVEILLANCE", "2.1", "b"),
                new Violation("MASS_SURVEILLANCE", "2.2", "z"),
                new Violation("SOCIAL_SCORING", "3.1", "a")), verdict.violations());
    }

    @Test
    void keepsAnEmptyStringForAMissingViolationMessage() throws Exception {
        Verdict verdict = interpret("{\"allow\":false,\"violations\":[{\"code\":\"NO_HUMAN_REVIEW\",\"clause\":\"4.2\"}]}");

        assertEquals(List.of(new Violation("NO_HUMAN_REVIEW", "4.2", "")), verdict.violations());
    }

    @Test
    void keepsAnEmptyStringForViolationFieldsThatAreNotStrings() throws Exception {
        Verdict verdict = interpret("{\"allow\":false,\"violations\":[{\"code\":7,\"clause\":null,\"message\":[\"m\"]}]}");

        assertEquals(List.of(new Violation("", "", "")), verdict.violations());
    }

    @Test
    void deniesWhenAllowIsTrueAndAViolationEntryIsNotAnObject() throws Exception {
        Verdict verdict = interpret("{\"allow\":true,\"violations\":[\"NO_HUMAN_REVIEW\"]}");

        assertEquals(new Verdict(false, List.of(new Violation("", "", "")), List.of()), verdict);
    }

    @Test
    void keepsAnEmptyStringForAMissingObligationMessage() throws Exception {
        Verdict verdict = interpret("{\"allow\":true,\"obligations\":[{\"code\":\"LOG_DECISION\"}]}");

        assertEquals(List.of(new Obligation("LOG_DECISION", "")), verdict.obligations());
    }

    @Test
    void deniesWhenAllowIsTrueButViolationsAreGivenInAShapeOtherThanAnArray() throws Exception {
        Verdict verdict = interpret("{\"allow\":true,\"violations\":{\"NO_HUMAN_REVIEW\":\"needs a human\"}}");

        assertFalse(verdict.allow());
    }

    private static Verdict interpret(String result) throws Exception {
        return ResultInterpreter.interpret(JSON.readTree(result), PATH);
    }

    private static Verdict invalid() {
        return new Verdict(false, List.of(new Violation("POLICY_RESULT_INVALID", "pdp/fail-closed", INVALID_MESSAGE)),
                List.of());
    }
}
