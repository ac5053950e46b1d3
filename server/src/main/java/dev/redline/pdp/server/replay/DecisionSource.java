package dev.redline.pdp.server.replay;

import dev.redline.pdp.server.audit.AuditReader;
import dev.redline.pdp.server.audit.LoggedDecision;
import java.io.IOException;
import java.util.function.Predicate;

/** Where logged decisions come from: a log directory, or a running PDP's admin API. */
@FunctionalInterface
public interface DecisionSource {
    /**
     * Gives {@code sink}, in log order, every decision that may match {@code criteria} (the replay
     * checks each again), until it returns false.
     */
    void forEach(ReplayCriteria criteria, Predicate<LoggedDecision> sink) throws IOException;

    /** The durable records of a log directory, read as {@link AuditReader} reads them. */
    static DecisionSource of(AuditReader reader) {
        return (criteria, sink) -> reader.list(criteria.query(), sink);
    }
}
