package dev.redline.pdp.server.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** A replay report as JSON: what {@code pdp replay --json} prints and tools read. */
public final class ReportJson {
    private ReportJson() {}

    public static ObjectNode of(ReplayReport report, ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        root.putObject("candidate").put("name", report.candidate().name())
                .put("revision", report.candidate().revision()).put("digest", report.candidate().digest());
        root.put("evaluated", report.evaluated()).put("same", report.same()).put("changed", report.changed());
        ObjectNode skipped = root.putObject("skipped");
        report.skipped().forEach(skipped::put);
        ObjectNode failed = root.putObject("failed");
        report.failed().forEach(failed::put);
        ObjectNode changes = root.putObject("changes");
        for (ChangeKind kind : ChangeKind.values()) {
            ReplayReport.Changes of = report.of(kind);
            ObjectNode entry = changes.putObject(kind.key()).put("count", of.count());
            of.examples().forEach(entry.putArray("examples")::add);
        }
        ObjectNode byCode = root.putObject("by_code");
        report.byCode().forEach((code, kinds) -> byCode.set(code, kinds(kinds, json)));
        ObjectNode byDay = root.putObject("by_day");
        report.byDay().forEach((day, kinds) -> byDay.set(day.toString(), kinds(kinds, json)));
        root.put("opens_red_line", report.opensRedLine());
        return root;
    }

    private static ObjectNode kinds(Map<ChangeKind, Long> kinds, ObjectMapper json) {
        ObjectNode node = json.createObjectNode();
        for (ChangeKind kind : ChangeKind.values()) {
            Long count = kinds.get(kind);
            if (count != null) {
                node.put(kind.key(), count);
            }
        }
        return node;
    }
}
