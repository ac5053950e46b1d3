package dev.redline.pdp.server.replay;

import dev.redline.pdp.server.decision.BundleRef;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * What replaying logged decisions on a candidate found.
 *
 * @param candidate the bundle replayed
 * @param evaluated records evaluated on the candidate
 * @param same of those, answered as logged (allow, violation codes, obligation codes)
 * @param changed of those, answered differently
 * @param skipped records not evaluated, by reason (a masked input cannot be asked again faithfully)
 * @param failed records the candidate could not decide, by the kind of failure (a caller would have
 *     had an error status: never an allow)
 * @param changes the changes of each kind, with example decision ids
 * @param byCode the changes each violation or obligation code took part in, by kind
 * @param byDay the changes by the UTC day the logged decision was made, by kind
 */
public record ReplayReport(
        BundleRef candidate,
        long evaluated,
        long same,
        long changed,
        SortedMap<String, Long> skipped,
        SortedMap<String, Long> failed,
        Map<ChangeKind, Changes> changes,
        SortedMap<String, Map<ChangeKind, Long>> byCode,
        SortedMap<LocalDate, Map<ChangeKind, Long>> byDay) {

    /** The code counted for a change that involves none (e.g. a bare boolean policy). */
    public static final String NO_CODE = "(no code)";

    /**
     * @param count how many
     * @param examples the earliest decision ids (decision ids are time-ordered), at most the
     *     number of examples asked for
     */
    public record Changes(long count, List<String> examples) {}

    /** The changes of {@code kind} (none when there were none). */
    public Changes of(ChangeKind kind) {
        return changes.getOrDefault(kind, new Changes(0, List.of()));
    }

    /** True when some decision logged as a deny would be allowed by the candidate. */
    public boolean opensRedLine() {
        return of(ChangeKind.DENY_TO_ALLOW).count() > 0;
    }

    /** Every record skipped, whatever the reason. */
    public long skippedTotal() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Every record the candidate failed on. */
    public long failedTotal() {
        return failed.values().stream().mapToLong(Long::longValue).sum();
    }
}
