package dev.redline.pdp.server.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.redline.pdp.server.store.ActiveChoice;
import dev.redline.pdp.server.store.StoredBundle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LifecycleRulesTest {
    private static final Instant NOON = Instant.parse("2026-06-01T12:00:00Z");

    // ---- rollback history -----------------------------------------------------------------------

    @Test
    void theFirstActivationHasNoHistory() {
        assertEquals(List.of(), LifecycleRules.historyAfter(Optional.empty(), "b", false));
    }

    @Test
    void aSwitchPutsTheBundleItReplacesFirst() {
        assertEquals(List.of("b", "a"), LifecycleRules.historyAfter(active("b", "a"), "c", false));
    }

    @Test
    void activatingTheActiveBundleAgainLeavesTheHistoryAsItWas() {
        assertEquals(List.of("a"), LifecycleRules.historyAfter(active("b", "a"), "b", false));
    }

    @Test
    void aRollbackConsumesItsTarget() {
        assertEquals(List.of("a"), LifecycleRules.historyAfter(active("c", "b", "a"), "b", true));
    }

    @Test
    void aBundleActivatedAgainLeavesItsOlderPlaceInTheHistory() {
        assertEquals(List.of("c", "b"), LifecycleRules.historyAfter(active("c", "b", "a"), "a", false));
    }

    @Test
    void theHistoryHoldsAtMostTheRollbackDepth() {
        List<String> previous = IntStream.range(0, LifecycleRules.ROLLBACK_DEPTH).mapToObj(i -> "old" + i).toList();
        Optional<ActiveChoice> before = Optional.of(new ActiveChoice("now", NOON, previous));

        List<String> history = LifecycleRules.historyAfter(before, "next", false);

        assertEquals(LifecycleRules.ROLLBACK_DEPTH, history.size());
        assertEquals("now", history.get(0));
        assertEquals("old" + (LifecycleRules.ROLLBACK_DEPTH - 2), history.get(history.size() - 1));
    }

    // ---- pruning --------------------------------------------------------------------------------

    @Test
    void pruningKeepsTheMostRecentlyPushed() {
        assertEquals(Set.of("e", "d", "c"), LifecycleRules.kept(stored("e", "d", "c", "b", "a"), Optional.empty(), 3));
    }

    @Test
    void pruningAlwaysKeepsTheActiveBundleAndItsRollbackTarget() {
        Set<String> kept = LifecycleRules.kept(stored("e", "d", "c", "b", "a"), active("a", "b"), 2);

        assertEquals(Set.of("e", "d", "a", "b"), kept);
    }

    @Test
    void pruningKeepsOnlyTheFirstRollbackTargetBeyondTheRecentOnes() {
        Set<String> kept = LifecycleRules.kept(stored("e", "d", "c", "b", "a"), active("a", "b", "c"), 1);

        assertEquals(Set.of("e", "a", "b"), kept);
    }

    @Test
    void theHistoryIsCutToTheBundlesStillStored() {
        ActiveChoice choice = new ActiveChoice("a", NOON, List.of("b", "c", "gone", "d"));

        assertEquals(List.of("b", "d"), LifecycleRules.reachable(choice, Set.of("a", "b", "d", "gone"),
                Set.of("a", "b", "c", "d")));
    }

    private static Optional<ActiveChoice> active(String digest, String... previous) {
        return Optional.of(new ActiveChoice(digest, NOON, List.of(previous)));
    }

    /** Records named by digest, in the order given (most recently pushed first). */
    private static List<StoredBundle> stored(String... newestFirst) {
        List<StoredBundle> records = new ArrayList<>();
        for (int i = 0; i < newestFirst.length; i++) {
            records.add(new StoredBundle(newestFirst[i], "rev-" + newestFirst[i], newestFirst[i] + ".tar.gz",
                    NOON.minusSeconds(i), "test", 1, List.of(), ""));
        }
        return records;
    }
}
