package dev.redline.pdp.server.audit;

import java.time.Instant;
import java.util.Optional;

/**
 * Which logged decisions to list. Every filter that is set must match.
 *
 * @param since decided at or after
 * @param until decided before
 * @param allow only allows (true) or only denies (false)
 * @param violationCode only decisions with this violation code
 * @param subjectId only decisions whose logged input has this {@code subject.id} (a masked id matches nothing)
 * @param limit at most this many; 0 for no limit
 * @param newestFirst newest first instead of in log order
 */
public record DecisionQuery(Optional<Instant> since, Optional<Instant> until, Optional<Boolean> allow,
        Optional<String> violationCode, Optional<String> subjectId, int limit, boolean newestFirst) {

    public static DecisionQuery all() {
        return new DecisionQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 0, false);
    }

    boolean matches(LoggedDecision d) {
        return since.map(s -> !d.time().isBefore(s)).orElse(true)
                && until.map(u -> d.time().isBefore(u)).orElse(true)
                && allow.map(a -> d.allow() == a).orElse(true)
                && violationCode.map(d.violations()::contains).orElse(true)
                && subjectId.map(id -> d.subjectId().map(id::equals).orElse(false)).orElse(true);
    }

    /** False when nothing in a segment holding records from {@code min} to {@code max} can match. */
    boolean mayMatchBetween(Instant min, Instant max) {
        return since.map(s -> !max.isBefore(s)).orElse(true) && until.map(min::isBefore).orElse(true);
    }
}
