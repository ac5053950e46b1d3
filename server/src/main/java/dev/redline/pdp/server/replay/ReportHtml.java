package dev.redline.pdp.server.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A replay report as one self-contained HTML page: the counts, and charts of the changes by code
 * and by day drawn as inline SVG (nothing is fetched, so it opens offline and in an air gap).
 */
public final class ReportHtml {
    private static final int LABEL_WIDTH = 260;
    private static final int BAR_WIDTH = 520;
    private static final int ROW_HEIGHT = 24;
    private static final int DAY_CHART_HEIGHT = 200;
    /** Room above the tallest column for its total. */
    private static final int DAY_CHART_TOP = 20;

    private ReportHtml() {}

    public static String of(ReplayReport report) {
        StringBuilder html = new StringBuilder(8192);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Replay of ").append(escape(report.candidate().name())).append("</title>")
                .append("<style>body{font-family:sans-serif;margin:24px;color:#222}")
                .append("table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;padding:4px 10px;")
                .append("text-align:left}td.n{text-align:right}.alarm{background:#c62828;color:#fff;padding:8px 12px;")
                .append("font-weight:bold}.ok{background:#2e7d32;color:#fff;padding:8px 12px}code{font-size:90%}")
                .append("</style></head><body>\n");
        html.append("<h1>Replay of ").append(escape(report.candidate().name())).append("</h1>\n<p>revision <code>")
                .append(escape(report.candidate().revision())).append("</code>, digest <code>")
                .append(escape(report.candidate().digest())).append("</code></p>\n");
        if (report.opensRedLine()) {
            html.append("<p class=\"alarm\">Opens a red line: ").append(report.of(ChangeKind.DENY_TO_ALLOW).count())
                    .append(" decision(s) logged as deny would be allowed.</p>\n");
        } else {
            html.append("<p class=\"ok\">No decision logged as deny would be allowed.</p>\n");
        }
        html.append("<table><tr><th>evaluated</th><th>same</th><th>changed</th><th>skipped</th><th>failed</th></tr><tr>")
                .append(cell(report.evaluated())).append(cell(report.same())).append(cell(report.changed()))
                .append(cell(report.skippedTotal())).append(cell(report.failedTotal())).append("</tr></table>\n");
        html.append("<h2>Changes by kind</h2>\n<table><tr><th>kind</th><th>count</th><th>examples (decision ids)</th></tr>");
        for (ChangeKind kind : ChangeKind.values()) {
            ReplayReport.Changes of = report.of(kind);
            html.append("<tr><td>").append(swatch(kind)).append(' ').append(escape(kind.label())).append("</td>")
                    .append(cell(of.count())).append("<td><code>").append(escape(String.join(" ", of.examples())))
                    .append("</code></td></tr>");
        }
        html.append("</table>\n");
        skippedAndFailed(html, report);
        html.append("<h2>Changes by code</h2>\n").append(legend()).append(byCode(report));
        html.append("<h2>Changes by day (UTC)</h2>\n").append(byDay(report));
        html.append("</body></html>\n");
        return html.toString();
    }

    private static void skippedAndFailed(StringBuilder html, ReplayReport report) {
        if (report.skipped().isEmpty() && report.failed().isEmpty()) {
            return;
        }
        html.append("<h2>Not evaluated</h2>\n<table><tr><th>why</th><th>records</th></tr>");
        report.skipped().forEach((reason, count) -> html.append("<tr><td>skipped: ").append(escape(reason))
                .append("</td>").append(cell(count)).append("</tr>"));
        report.failed().forEach((kind, count) -> html.append("<tr><td>candidate failed: ").append(escape(kind))
                .append("</td>").append(cell(count)).append("</tr>"));
        html.append("</table>\n");
    }

    private static String byCode(ReplayReport report) {
        if (report.byCode().isEmpty()) {
            return "<p>No changes.</p>\n";
        }
        long max = report.byCode().values().stream().mapToLong(ReportHtml::total).max().orElse(1);
        int height = report.byCode().size() * ROW_HEIGHT + 8;
        StringBuilder svg = new StringBuilder().append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"")
                .append(" aria-label=\"changes by code\" width=\"").append(LABEL_WIDTH + BAR_WIDTH + 80)
                .append("\" height=\"").append(height).append("\">");
        int y = 4;
        for (Map.Entry<String, Map<ChangeKind, Long>> code : report.byCode().entrySet()) {
            svg.append("<text x=\"").append(LABEL_WIDTH - 6).append("\" y=\"").append(y + 16)
                    .append("\" text-anchor=\"end\" font-size=\"13\">").append(escape(code.getKey())).append("</text>");
            double x = LABEL_WIDTH;
            for (ChangeKind kind : ChangeKind.values()) {
                long count = code.getValue().getOrDefault(kind, 0L);
                if (count == 0) {
                    continue;
                }
                double width = Math.max(1, BAR_WIDTH * (double) count / max);
                svg.append(String.format("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                        + "<title>%s %s: %d</title></rect>", x, y + 2, width, ROW_HEIGHT - 6, color(kind),
                        escape(code.getKey()), escape(kind.label()), count));
                x += width;
            }
            svg.append(String.format("<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%d</text>", x + 6, y + 16,
                    total(code.getValue())));
            y += ROW_HEIGHT;
        }
        return svg.append("</svg>\n").toString();
    }

    private static String byDay(ReplayReport report) {
        if (report.byDay().isEmpty()) {
            return "<p>No changes.</p>\n";
        }
        List<Map.Entry<java.time.LocalDate, Map<ChangeKind, Long>>> days = new ArrayList<>(report.byDay().entrySet());
        long max = days.stream().mapToLong(d -> total(d.getValue())).max().orElse(1);
        int column = Math.max(18, Math.min(60, BAR_WIDTH / days.size()));
        int width = 40 + days.size() * (column + 6);
        StringBuilder svg = new StringBuilder().append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"")
                .append(" aria-label=\"changes by day\" width=\"").append(width).append("\" height=\"")
                .append(DAY_CHART_TOP + DAY_CHART_HEIGHT + 80).append("\">");
        int x = 30;
        for (Map.Entry<java.time.LocalDate, Map<ChangeKind, Long>> day : days) {
            double y = DAY_CHART_TOP + DAY_CHART_HEIGHT;
            for (ChangeKind kind : ChangeKind.values()) {
                long count = day.getValue().getOrDefault(kind, 0L);
                if (count == 0) {
                    continue;
                }
                double height = Math.max(1, DAY_CHART_HEIGHT * (double) count / max);
                y -= height;
                svg.append(String.format("<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\">"
                        + "<title>%s %s: %d</title></rect>", x, y, column, height, color(kind), day.getKey(),
                        escape(kind.label()), count));
            }
            svg.append(String.format("<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">%d</text>",
                    x + column / 2, y - 4, total(day.getValue())));
            svg.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\""
                    + " transform=\"rotate(-45 %d %d)\">%s</text>", x + column / 2, DAY_CHART_TOP + DAY_CHART_HEIGHT + 16,
                    x + column / 2, DAY_CHART_TOP + DAY_CHART_HEIGHT + 16, day.getKey()));
            x += column + 6;
        }
        return svg.append("</svg>\n").toString();
    }

    private static String legend() {
        StringBuilder legend = new StringBuilder("<p>");
        for (ChangeKind kind : ChangeKind.values()) {
            legend.append(swatch(kind)).append(' ').append(escape(kind.label())).append(" &nbsp; ");
        }
        return legend.append("</p>\n").toString();
    }

    private static String swatch(ChangeKind kind) {
        return "<svg width=\"12\" height=\"12\"><rect width=\"12\" height=\"12\" fill=\"" + color(kind) + "\"/></svg>";
    }

    /** Red for what opens; the rest in colours apart from it. */
    private static String color(ChangeKind kind) {
        return switch (kind) {
            case DENY_TO_ALLOW -> "#c62828";
            case ALLOW_TO_DENY -> "#1565c0";
            case VIOLATIONS -> "#ef6c00";
            case OBLIGATIONS -> "#6a1b9a";
        };
    }

    private static long total(Map<ChangeKind, Long> kinds) {
        return kinds.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String cell(long n) {
        return "<td class=\"n\">" + n + "</td>";
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
