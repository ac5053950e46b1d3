package dev.redline.pdp.server.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.MissingNode;
import dev.redline.pdp.server.audit.LoggedDecision;
import dev.redline.pdp.server.decision.BundleRef;
import dev.redline.pdp.server.decision.Caller;
import dev.redline.pdp.server.decision.Decision;
import dev.redline.pdp.server.decision.Obligation;
import dev.redline.pdp.server.decision.Violation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a replayed answer is compared with the logged one, and what it is counted under. */
class ReplayTallyTest {
    private static final BundleRef BUNDLE = new BundleRef("b", "r", "sha256:00");

    private static LoggedDecision logged(String id, boolean allow, List<String> violations, List<String> obligations) {
        return new LoggedDecision("00000001.jsonl", 1, "h", id, "", Instant.parse("2026-12-01T10:00:00Z"),
                new Caller(Optional.empty(), Optional.empty()), "p", MissingNode.getInstance(), List.of(),
                Optional.empty(), MissingNode.getInstance(), allow, violations, obligations, BUNDLE, 0, OptionalLong.empty());
    }

    private static Decision answer(boolean allow, List<String> violations, List<String> obligations) {
        return new Decision("new", "", "p", allow, violations.stream().map(c -> new Violation(c, "", "")).toList(),
                obligations.stream().map(c -> new Obligation(c, "")).toList(), MissingNode.getInstance(), BUNDLE, 0, OptionalLong.empty());
    }

    @Test
    void aLoggedDenyTheCandidateAllowsIsDenyToAllowCountedUnderTheCodesThatNoLongerDeny() {
        LoggedDecision denied = logged("a", false, List.of("WEAPONS"), List.of());
        Decision allowed = answer(true, List.of(), List.of());

        assertEquals(Optional.of(ChangeKind.DENY_TO_ALLOW), ReplayTally.compare(denied, allowed));
        assertEquals(Set.of("WEAPONS"), ReplayTally.codes(ChangeKind.DENY_TO_ALLOW, denied, allowed));
    }

    @Test
    void aLoggedAllowTheCandidateDeniesIsAllowToDenyCountedUnderTheNewCodes() {
        LoggedDecision allowed = logged("a", true, List.of(), List.of());
        Decision denied = answer(false, List.of("MEDICAL"), List.of());

        assertEquals(Optional.of(ChangeKind.ALLOW_TO_DENY), ReplayTally.compare(allowed, denied));
        assertEquals(Set.of("MEDICAL"), ReplayTally.codes(ChangeKind.ALLOW_TO_DENY, allowed, denied));
    }

    @Test
    void denialsForOtherCodesAreCountedUnderTheCodesInOneButNotTheOther() {
        LoggedDecision before = logged("a", false, List.of("A", "B"), List.of());
        Decision after = answer(false, List.of("B", "C"), List.of());

        assertEquals(Optional.of(ChangeKind.VIOLATIONS), ReplayTally.compare(before, after));
        assertEquals(Set.of("A", "C"), ReplayTally.codes(ChangeKind.VIOLATIONS, before, after));
    }

    @Test
    void allowsWithOtherObligationsAreObligationChanges() {
        LoggedDecision before = logged("a", true, List.of(), List.of("REVIEW"));
        Decision after = answer(true, List.of(), List.of("AUDIT", "REVIEW"));

        assertEquals(Optional.of(ChangeKind.OBLIGATIONS), ReplayTally.compare(before, after));
        assertEquals(Set.of("AUDIT"), ReplayTally.codes(ChangeKind.OBLIGATIONS, before, after));
    }

    @Test
    void theSameCodesInAnotherOrderAreTheSameAnswer() {
        assertEquals(Optional.empty(), ReplayTally.compare(logged("a", false, List.of("B", "A"), List.of()),
                answer(false, List.of("A", "B"), List.of())));
    }

    @Test
    void aChangeWithoutCodesIsCountedUnderNoCode() {
        LoggedDecision denied = logged("a", false, List.of(), List.of());

        assertEquals(Set.of(ReplayReport.NO_CODE),
                ReplayTally.codes(ChangeKind.DENY_TO_ALLOW, denied, answer(true, List.of(), List.of())));
    }

    @Test
    void theExamplesKeptAreTheEarliestIdsWhateverTheOrderTheyArriveIn() {
        ReplayTally tally = new ReplayTally(2);
        for (String id : List.of("0003", "0001", "0004", "0002")) {
            tally.answered(logged(id, false, List.of("X"), List.of()), answer(true, List.of(), List.of()));
        }

        ReplayReport.Changes opened = tally.report(BUNDLE).of(ChangeKind.DENY_TO_ALLOW);
        assertEquals(4, opened.count());
        assertEquals(List.of("0001", "0002"), opened.examples());
    }
}
