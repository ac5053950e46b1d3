package dev.redline.pdp.server.engine;

import java.time.Duration;

/**
 * How a revision's warm-up went before it was allowed to decide.
 *
 * @param took how long it ran
 * @param evaluations how many evaluations it made (none of them a decision: nothing is recorded)
 * @param settled true when evaluation time had stopped falling; false when the warm-up timeout cut it short
 */
public record WarmupReport(Duration took, long evaluations, boolean settled) {}
