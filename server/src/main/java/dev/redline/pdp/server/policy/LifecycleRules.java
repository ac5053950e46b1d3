package dev.redline.pdp.server.policy;

import dev.redline.pdp.server.store.ActiveChoice;
import dev.redline.pdp.server.store.StoredBundle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What the lifecycle remembers: the rollback history, and which stored bundles are kept. */
final class LifecycleRules {
    /** How many earlier bundles a rollback can walk back through. */
    static final int ROLLBACK_DEPTH = 20;

    private LifecycleRules() {}

    /**
     * The rollback history once {@code digest} becomes active. A rollback consumes its target; any
     * other switch puts the bundle it replaces first. A bundle never appears in its own history.
     */
    static List<String> historyAfter(Optional<ActiveChoice> before, String digest, boolean rollingBack) {
        List<String> history = new ArrayList<>();
        before.ifPresent(choice -> {
            if (!rollingBack && !choice.digest().equals(digest)) {
                history.add(choice.digest());
            }
            choice.previous().stream().skip(rollingBack ? 1 : 0).filter(d -> !d.equals(digest)).forEach(history::add);
        });
        return List.copyOf(history.subList(0, Math.min(history.size(), ROLLBACK_DEPTH)));
    }

    /**
     * The bundles pruning keeps: the {@code keep} most recently pushed, and always the active one
     * and its rollback target.
     *
     * @param newestFirst every stored bundle, most recently pushed first
     */
    static Set<String> kept(List<StoredBundle> newestFirst, Optional<ActiveChoice> active, int keep) {
        Set<String> kept = new HashSet<>();
        newestFirst.stream().limit(keep).forEach(b -> kept.add(b.digest()));
        active.ifPresent(choice -> {
            kept.add(choice.digest());
            choice.previous().stream().limit(1).forEach(kept::add);
        });
        return kept;
    }

    /** The rollback history cut to the bundles that will still be stored, so every rollback finds its bundle. */
    static List<String> reachable(ActiveChoice active, Set<String> kept, Set<String> stored) {
        return active.previous().stream().filter(d -> kept.contains(d) && stored.contains(d)).toList();
    }
}
