package dev.redline.pdp.server.replay;

import java.util.Map;

/** A replay report for people at a terminal. */
public final class ReportTable {
    private ReportTable() {}

    public static String of(ReplayReport report) {
        StringBuilder out = new StringBuilder();
        out.append("candidate ").append(report.candidate().name()).append(" (revision ")
                .append(report.candidate().revision()).append(", ").append(report.candidate().digest()).append(")\n");
        out.append(String.format("evaluated %d   same %d   changed %d   skipped %d   failed %d%n", report.evaluated(),
                report.same(), report.changed(), report.skippedTotal(), report.failedTotal()));
        report.skipped().forEach((reason, count) -> out.append(String.format("  skipped %-22s %d%n", reason, count)));
        report.failed().forEach((kind, count) -> out.append(String.format("  failed  %-22s %d%n", kind, count)));
        out.append('\n').append(String.format("%-22s %8s  %s%n", "change", "count", "examples (decision ids)"));
        for (ChangeKind kind : ChangeKind.values()) {
            ReplayReport.Changes of = report.of(kind);
            out.append(String.format("%-22s %8d  %s%n", kind.label(), of.count(), String.join(" ", of.examples())));
        }
        if (!report.byCode().isEmpty()) {
            out.append('\n').append(String.format("%-32s", "code"));
            for (ChangeKind kind : ChangeKind.values()) {
                out.append(String.format(" %20s", kind.label()));
            }
            out.append('\n');
            report.byCode().forEach((code, kinds) -> out.append(row(code, kinds)));
        }
        if (report.opensRedLine()) {
            out.append("\nOPENS A RED LINE: ").append(report.of(ChangeKind.DENY_TO_ALLOW).count())
                    .append(" decision(s) logged as deny would be allowed\n");
        }
        return out.toString();
    }

    private static String row(String code, Map<ChangeKind, Long> kinds) {
        StringBuilder row = new StringBuilder(String.format("%-32s", code));
        for (ChangeKind kind : ChangeKind.values()) {
            row.append(String.format(" %20d", kinds.getOrDefault(kind, 0L)));
        }
        return row.append('\n').toString();
    }
}
