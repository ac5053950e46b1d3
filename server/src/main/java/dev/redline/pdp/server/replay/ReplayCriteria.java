package dev.redline.pdp.server.replay;

import dev.redline.pdp.server.audit.DecisionQuery;
import dev.redline.pdp.server.audit.LoggedDecision;
import java.time.Instant;
import java.util.Optional;

/**
 * Which logged decisions to replay. Every filter that is set must match.
 *
 * @param since decided at or after
 * @param until decided before
 * @param path only decisions on this entrypoint, e.g. {@code contract/decision}
 * @param limit at most this many records, the newest, are taken from the log (skipped ones included); 0 for
 *     all, oldest first
 */
public record ReplayCriteria(Optional<Instant> since, Optional<Instant> until, Optional<String> path, int limit) {
    public ReplayCriteria {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 (no limit) or more, got " + limit);
        }
        if (since.isPresent() && until.isPresent() && until.get().isBefore(since.get())) {
            throw new IllegalArgumentException("until " + until.get() + " is before since " + since.get());
        }
    }

    public static ReplayCriteria all() {
        return new ReplayCriteria(Optional.empty(), Optional.empty(), Optional.empty(), 0);
    }

    /** The log query that finds the candidates by time; the path is checked on each record. */
    DecisionQuery query() {
        return new DecisionQuery(since, until, Optional.empty(), Optional.empty(), Optional.empty(), 0, limit > 0);
    }

    boolean matches(LoggedDecision decision) {
        return since.map(s -> !decision.time().isBefore(s)).orElse(true)
                && until.map(u -> decision.time().isBefore(u)).orElse(true)
                && path.map(decision.path()::equals).orElse(true);
    }
}
