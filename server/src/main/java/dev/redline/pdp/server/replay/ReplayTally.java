package dev.redline.pdp.server.replay;

import com.fasterxml.jackson.databind.node.MissingNode;
import dev.redline.pdp.server.audit.LoggedDecision;
import dev.redline.pdp.server.decision.Caller;
import dev.redline.pdp.server.decision.BundleRef;
import dev.redline.pdp.server.decision.Decision;
import dev.redline.pdp.server.decision.Obligation;
import dev.redline.pdp.server.decision.Violation;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares answers with logged ones and counts them; safe to feed from several threads. Replay and
 * the gate compare with the log; the shadow compares with the active bundle's answer.
 */
public final class ReplayTally {
    private final int examplesPerKind;
    private long evaluated;
    private long same;
    private final TreeMap<String, Long> skipped = new TreeMap<>();
    private final TreeMap<String, Long> failed = new TreeMap<>();
    private final EnumMap<ChangeKind, Long> counts = new EnumMap<>(ChangeKind.class);
    private final EnumMap<ChangeKind, TreeSet<String>> examples = new EnumMap<>(ChangeKind.class);
    private final TreeMap<String, EnumMap<ChangeKind, Long>> byCode = new TreeMap<>();
    private final TreeMap<LocalDate, EnumMap<ChangeKind, Long>> byDay = new TreeMap<>();

    public ReplayTally(int examplesPerKind) {
        if (examplesPerKind < 0) {
            throw new IllegalArgumentException("examples per kind must be 0 or more, got " + examplesPerKind);
        }
        this.examplesPerKind = examplesPerKind;
    }

    /**
     * How {@code answer} differs from {@code logged}, if it does. Allow decides first; then, for the
     * same allow, violation codes and obligation codes, each compared as sorted lists.
     */
    static Optional<ChangeKind> compare(LoggedDecision logged, Decision answer) {
        if (logged.allow() && !answer.allow()) {
            return Optional.of(ChangeKind.ALLOW_TO_DENY);
        }
        if (!logged.allow() && answer.allow()) {
            return Optional.of(ChangeKind.DENY_TO_ALLOW);
        }
        if (!sorted(logged.violations()).equals(violationCodes(answer))) {
            return Optional.of(ChangeKind.VIOLATIONS);
        }
        if (!sorted(logged.obligations()).equals(obligationCodes(answer))) {
            return Optional.of(ChangeKind.OBLIGATIONS);
        }
        return Optional.empty();
    }

    /** The codes a change is about: what now denies, what no longer does, or what differs. */
    static Set<String> codes(ChangeKind kind, LoggedDecision logged, Decision answer) {
        Set<String> codes = switch (kind) {
            case ALLOW_TO_DENY -> new TreeSet<>(violationCodes(answer));
            case DENY_TO_ALLOW -> new TreeSet<>(logged.violations());
            case VIOLATIONS -> symmetricDifference(logged.violations(), violationCodes(answer));
            case OBLIGATIONS -> symmetricDifference(logged.obligations(), obligationCodes(answer));
        };
        return codes.isEmpty() ? Set.of(ReplayReport.NO_CODE) : codes;
    }

    /**
     * Counts {@code shadow}'s answer to what {@code active} answered at {@code time}, as a replay
     * counts a candidate's answer to a logged one.
     *
     * @return how the shadow's answer differs, if it does
     */
    public Optional<ChangeKind> shadowed(Decision active, Instant time, Decision shadow) {
        LoggedDecision asAnswered = new LoggedDecision("", -1, "", active.decisionId(), active.requestId(), time,
                new Caller(Optional.empty(), Optional.empty()), active.path(), MissingNode.getInstance(), List.of(), Optional.empty(),
                active.result(), active.allow(), active.violations().stream().map(Violation::code).toList(),
                active.obligations().stream().map(Obligation::code).toList(), active.bundle(), active.evalNanos(),
                active.nowNanos());
        return answered(asAnswered, shadow);
    }

    synchronized void skipped(String reason) {
        skipped.merge(reason, 1L, Long::sum);
    }

    public synchronized void failed(String kind) {
        failed.merge(kind, 1L, Long::sum);
    }

    Optional<ChangeKind> answered(LoggedDecision logged, Decision answer) {
        Optional<ChangeKind> change = compare(logged, answer);
        Set<String> codes = change.map(kind -> codes(kind, logged, answer)).orElse(Set.of());
        synchronized (this) {
            evaluated++;
            if (change.isEmpty()) {
                same++;
                return change;
            }
            ChangeKind kind = change.get();
            counts.merge(kind, 1L, Long::sum);
            TreeSet<String> ids = examples.computeIfAbsent(kind, k -> new TreeSet<>());
            ids.add(logged.decisionId());
            if (ids.size() > examplesPerKind) {
                ids.pollLast();
            }
            for (String code : codes) {
                byCode.computeIfAbsent(code, c -> new EnumMap<>(ChangeKind.class)).merge(kind, 1L, Long::sum);
            }
            LocalDate day = LocalDate.ofInstant(logged.time(), ZoneOffset.UTC);
            byDay.computeIfAbsent(day, d -> new EnumMap<>(ChangeKind.class)).merge(kind, 1L, Long::sum);
        }
        return change;
    }

    public synchronized ReplayReport report(BundleRef candidate) {
        EnumMap<ChangeKind, ReplayReport.Changes> changes = new EnumMap<>(ChangeKind.class);
        counts.forEach((kind, count) -> changes.put(kind, new ReplayReport.Changes(count,
                List.copyOf(examples.getOrDefault(kind, new TreeSet<>())))));
        TreeMap<String, Map<ChangeKind, Long>> codes = new TreeMap<>();
        byCode.forEach((code, kinds) -> codes.put(code, Map.copyOf(kinds)));
        TreeMap<LocalDate, Map<ChangeKind, Long>> days = new TreeMap<>();
        byDay.forEach((day, kinds) -> days.put(day, Map.copyOf(kinds)));
        long changed = counts.values().stream().mapToLong(Long::longValue).sum();
        return new ReplayReport(candidate, evaluated, same, changed, new TreeMap<>(skipped), new TreeMap<>(failed),
                changes, codes, days);
    }

    private static List<String> violationCodes(Decision answer) {
        return sorted(answer.violations().stream().map(Violation::code).toList());
    }

    private static List<String> obligationCodes(Decision answer) {
        return sorted(answer.obligations().stream().map(Obligation::code).toList());
    }

    private static List<String> sorted(Collection<String> codes) {
        List<String> sorted = new ArrayList<>(codes);
        sorted.sort(null);
        return sorted;
    }

    private static Set<String> symmetricDifference(Collection<String> a, Collection<String> b) {
        TreeSet<String> onlyA = new TreeSet<>(a);
        onlyA.removeAll(b);
        TreeSet<String> onlyB = new TreeSet<>(b);
        onlyB.removeAll(a);
        onlyA.addAll(onlyB);
        return onlyA;
    }
}
