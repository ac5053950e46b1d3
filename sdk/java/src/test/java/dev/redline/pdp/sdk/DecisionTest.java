package dev.redline.pdp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.api.v1.BundleRef;
import dev.redline.pdp.api.v1.DecideResponse;
import io.grpc.Status;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Decision value, and how the SDK reads the PDP's answer and failures. (These read answers a
 * real PDP never gives, e.g. contradictory ones; the real PDP's answers are in PdpClientTest.)
 */
class DecisionTest {
    private static final Violation EDGE = new Violation("EDGE_DEPLOYMENT", "deployment/cloud-only", "edge");
    private static final Obligation MINIMIZE = new Obligation("US_PERSON_MINIMIZATION", "minimize");

    @Test
    void anAllowCannotCarryViolations() {
        assertThrows(IllegalArgumentException.class, () -> new Decision(true, List.of(EDGE), List.of(), "", "", "", ""));
    }

    @Test
    void aDenyCannotCarryObligations() {
        assertThrows(IllegalArgumentException.class,
                () -> new Decision(false, List.of(EDGE), List.of(MINIMIZE), "", "", "", ""));
    }

    @Test
    void helpersFindViolationsAndObligationsByCode() {
        Decision allow = new Decision(true, List.of(), List.of(MINIMIZE), "d-1", "r-1", "b", "rev");
        Decision deny = new Decision(false, List.of(EDGE), List.of(), "d-2", "r-2", "b", "rev");

        assertTrue(allow.hasObligation("US_PERSON_MINIMIZATION"));
        assertEquals(Optional.of(MINIMIZE), allow.obligation("US_PERSON_MINIMIZATION"));
        assertEquals(Optional.empty(), allow.obligation("HUMAN_REVIEW_REQUIRED"));
        assertEquals(List.of("US_PERSON_MINIMIZATION"), allow.obligationCodes());
        assertTrue(deny.hasViolation("EDGE_DEPLOYMENT"));
        assertFalse(deny.hasViolation("AUTONOMOUS_WEAPONS"));
        assertEquals(List.of("EDGE_DEPLOYMENT"), deny.violationCodes());
    }

    @Test
    void aPolicyViolationThatBorrowsAFailClosedCodeIsNotFailClosedUnlessItHasTheClause() {
        Decision policy = new Decision(false, List.of(new Violation("PDP_ERROR", "some/clause", "m")), List.of(),
                "d", "", "b", "rev");

        assertFalse(policy.isFailClosed());
    }

    @Test
    void anAnswerThatAllowsButListsViolationsIsADeny() {
        DecideResponse contradictory = DecideResponse.newBuilder().setAllow(true)
                .addViolations(dev.redline.pdp.api.v1.Violation.newBuilder()
                        .setCode("EDGE_DEPLOYMENT").setClause("deployment/cloud-only").setMessage("edge"))
                .addObligations(dev.redline.pdp.api.v1.Obligation.newBuilder()
                        .setCode("US_PERSON_MINIMIZATION").setMessage("minimize"))
                .build();

        Decision decision = PdpClient.fromResponse(contradictory, "");

        assertFalse(decision.allowed());
        assertEquals(List.of(EDGE), decision.violations());
        assertEquals(List.of(), decision.obligations());
    }

    @Test
    void aDenysObligationsAreDropped() {
        DecideResponse deny = DecideResponse.newBuilder().setAllow(false)
                .addObligations(dev.redline.pdp.api.v1.Obligation.newBuilder().setCode("X").setMessage("x"))
                .build();

        assertEquals(List.of(), PdpClient.fromResponse(deny, "").obligations());
    }

    @Test
    void anAnswerIsReadFieldByField() {
        DecideResponse allow = DecideResponse.newBuilder().setAllow(true).setDecisionId("d-9").setRequestId("r-9")
                .addObligations(dev.redline.pdp.api.v1.Obligation.newBuilder()
                        .setCode("US_PERSON_MINIMIZATION").setMessage("minimize"))
                .setBundle(BundleRef.newBuilder().setName("built-in:contract").setRevision("sha256:ab"))
                .build();

        assertEquals(new Decision(true, List.of(), List.of(MINIMIZE), "d-9", "r-9", "built-in:contract", "sha256:ab"),
                PdpClient.fromResponse(allow, "r-9"));
    }

    @Test
    void eachFailureStatusMapsToItsFailClosedCode() {
        assertEquals(List.of("PDP_UNAVAILABLE"), PdpClient.failClosed(Status.UNAVAILABLE, "").violationCodes());
        assertEquals(List.of("PDP_TIMEOUT"), PdpClient.failClosed(Status.DEADLINE_EXCEEDED, "").violationCodes());
        for (Status.Code code : List.of(Status.Code.CANCELLED, Status.Code.UNKNOWN, Status.Code.INVALID_ARGUMENT,
                Status.Code.NOT_FOUND, Status.Code.PERMISSION_DENIED, Status.Code.RESOURCE_EXHAUSTED,
                Status.Code.UNIMPLEMENTED, Status.Code.INTERNAL, Status.Code.UNAUTHENTICATED)) {
            assertEquals(List.of("PDP_ERROR"), PdpClient.failClosed(code.toStatus(), "").violationCodes(), code.name());
        }
    }

    @Test
    void aPdpErrorMessageNamesTheStatusAndItsDescription() {
        Decision decision = PdpClient.failClosed(Status.RESOURCE_EXHAUSTED.withDescription("input over 1 MiB"), "r-1");

        assertEquals(List.of(new Violation("PDP_ERROR", "pdp/fail-closed",
                "the PDP answered RESOURCE_EXHAUSTED: input over 1 MiB; denied")), decision.violations());
        assertEquals("r-1", decision.requestId());
    }

    @Test
    void aPolicyDeniedExceptionRefusesAnAllow() {
        Decision allow = new Decision(true, List.of(), List.of(), "", "", "", "");

        assertThrows(IllegalArgumentException.class, () -> new PolicyDeniedException(allow));
    }
}
