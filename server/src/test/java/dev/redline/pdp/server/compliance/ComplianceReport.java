package dev.redline.pdp.server.compliance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Pass, fail, excluded and unwrappable counts by folder, and why each failure failed. */
final class ComplianceReport {
    enum Verdict { PASS, FAIL, EXCLUDED, UNWRAPPABLE }

    record Outcome(ComplianceCase source, Verdict verdict, String detail) {}

    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();

    void record(ComplianceCase c, Verdict verdict, String detail) {
        outcomes.put(c.key(), new Outcome(c, verdict, detail));
    }

    long count(Verdict verdict) {
        return outcomes.values().stream().filter(o -> o.verdict() == verdict).count();
    }

    int size() {
        return outcomes.size();
    }

    /** Passing cases over the cases that could be wrapped and are not excluded. */
    double passRatio() {
        long decided = count(Verdict.PASS) + count(Verdict.FAIL);
        return decided == 0 ? 0 : (double) count(Verdict.PASS) / decided;
    }

    String summary() {
        Map<String, long[]> byFolder = new TreeMap<>();
        for (Outcome o : outcomes.values()) {
            byFolder.computeIfAbsent(o.source().folder(), f -> new long[4])[o.verdict().ordinal()]++;
        }
        StringBuilder s = new StringBuilder(String.format("%-28s %6s %6s %8s %11s%n", "folder", "pass", "fail",
                "excluded", "unwrappable"));
        for (var e : byFolder.entrySet()) {
            long[] n = e.getValue();
            if (n[1] + n[2] + n[3] > 0) {
                s.append(String.format("%-28s %6d %6d %8d %11d%n", e.getKey(), n[0], n[1], n[2], n[3]));
            }
        }
        s.append(String.format("(%d folders where every case passes are not listed)%n",
                byFolder.values().stream().filter(n -> n[1] + n[2] + n[3] == 0).count()));
        s.append(String.format("%-28s %6d %6d %8d %11d%n", "total", count(Verdict.PASS), count(Verdict.FAIL),
                count(Verdict.EXCLUDED), count(Verdict.UNWRAPPABLE)));
        s.append(String.format("pass ratio over wrappable, not excluded cases: %.2f%% of %d%n", 100 * passRatio(),
                count(Verdict.PASS) + count(Verdict.FAIL)));
        return s.toString();
    }

    String details() {
        StringBuilder s = new StringBuilder();
        new TreeMap<>(outcomes).forEach((note, o) -> {
            if (o.verdict() != Verdict.PASS) {
                s.append(o.verdict()).append("  ").append(note).append("\n    ")
                        .append(o.detail().replace("\n", "\n    ")).append('\n');
            }
        });
        return s.toString();
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("compliance-report.txt"), summary(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("compliance-failures.txt"), details(), StandardCharsets.UTF_8);
    }
}
