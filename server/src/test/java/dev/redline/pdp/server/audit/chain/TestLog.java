package dev.redline.pdp.server.audit.chain;

import dev.redline.pdp.server.audit.AuditSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A decision log written by the real {@link AuditLog} into a test directory, with a clock the test
 * controls, plus the file edits a tamperer would make.
 */
final class TestLog implements AutoCloseable {
    static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
    static final Duration SEGMENT_AGE = Duration.ofMinutes(10);

    final Path dir;
    final MutableClock clock = new MutableClock(START);
    final List<Boolean> writable = new CopyOnWriteArrayList<>();
    private AuditLog log;
    private int made;

    private TestLog(Path dir) {
        this.dir = dir;
    }

    static AuditSettings settings(Path dir) {
        return AuditSettings.defaults().withDir(dir).withSegmentMaxAge(SEGMENT_AGE);
    }

    static TestLog open(Path dir) throws AuditLogException {
        return open(dir, settings(dir));
    }

    static TestLog open(Path dir, AuditSettings settings) throws AuditLogException {
        TestLog test = new TestLog(dir);
        test.log = AuditLog.open(settings.chain(), test.clock, (ok, reason) -> test.writable.add(ok));
        return test;
    }

    /**
     * Three segments of five records: 00000001 (seq 1-5) and 00000002 (seq 6-10) sealed,
     * 00000003 (seq 11-15) open. Each segment is sealed by age when the next one's first record comes.
     */
    static void writeThreeSegments(Path dir) throws Exception {
        try (TestLog test = open(dir)) {
            for (int segment = 0; segment < 3; segment++) {
                if (segment > 0) {
                    test.clock.advance(SEGMENT_AGE);
                }
                for (int i = 0; i < 5; i++) {
                    test.append();
                }
            }
        }
    }

    AuditLog log() {
        return log;
    }

    /** Appends one decision-like record and waits until it is durable. */
    AppendReceipt append() throws Exception {
        made++;
        return log.append(record(made, clock.instant())).get();
    }

    static PreparedRecord record(int n, Instant time) {
        return PreparedRecord.builder(PreparedRecord.DECISION, time)
                .put("decision_id", "d-" + n)
                .put("request_id", "r-" + n)
                .put("allow", n % 2 == 0)
                .build();
    }

    @Override
    public void close() {
        log.close();
    }

    // ---- what a tamperer does ----

    static Path segment(Path dir, int number) {
        return dir.resolve(String.format("%08d.jsonl", number));
    }

    static Path digest(Path dir, int number) {
        return dir.resolve(String.format("%08d.digest.json", number));
    }

    static List<String> lines(Path file) throws IOException {
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    static void write(Path file, List<String> lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    static AuditKey key(Path dir) throws AuditLogException {
        return AuditKey.read(dir.resolve(AuditSettings.DEFAULT_KEY_FILE_NAME));
    }

    static VerificationReport verify(Path dir) throws Exception {
        return new AuditVerifier(key(dir)).verify(dir);
    }

    static String problem(Path dir) throws Exception {
        return verify(dir).problem().map(Tampering::message).orElse("(no problem found)");
    }
}
