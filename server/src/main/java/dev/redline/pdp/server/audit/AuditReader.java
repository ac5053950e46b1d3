package dev.redline.pdp.server.audit;

import dev.redline.pdp.server.audit.chain.AuditLog;
import dev.redline.pdp.server.audit.chain.ByteSearch;
import dev.redline.pdp.server.audit.chain.PreparedRecord;
import dev.redline.pdp.server.audit.chain.RecordCodec;
import dev.redline.pdp.server.audit.chain.SegmentDigest;
import dev.redline.pdp.server.audit.chain.SegmentFile;
import dev.redline.pdp.server.audit.chain.SegmentLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Finds decisions in a log directory. It reads only what the writer has made durable (so it never
 * shows a decision that could still be withheld) and skips sealed segments whose digest says
 * their times cannot match (a decision id, a time-ordered UUID, says when it was made; its
 * segment is looked in first). It reads, it does not verify: that is {@link dev.redline.pdp.server.audit.chain.AuditVerifier}'s job.
 */
public final class AuditReader {
    /** How far a decision id's timestamp may be from its record's time (both are taken moments apart). */
    private static final Duration ID_TIME_SLACK = Duration.ofMinutes(1);

    /** How many bytes of a segment may be read. */
    public interface Horizon {
        long readableBytes(long segmentNumber, long fileBytes);
    }

    private final Path dir;
    private final Horizon horizon;

    public AuditReader(Path dir, Horizon horizon) {
        this.dir = dir;
        this.horizon = horizon;
    }

    /** A reader of the log {@code log} writes, up to what it has made durable. */
    public static AuditReader of(AuditLog log) {
        return new AuditReader(log.dir(), log::readableBytes);
    }

    /**
     * The decision with this id.
     *
     * @throws IllegalArgumentException when {@code decisionId} is not a UUID
     */
    public Optional<LoggedDecision> find(String decisionId) throws IOException {
        UUID id = UUID.fromString(decisionId);
        String canonical = id.toString();
        Optional<Instant> idTime = id.version() == 7 ? Optional.of(Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16))
                : Optional.empty();
        DecisionQuery around = new DecisionQuery(idTime.map(t -> t.minus(ID_TIME_SLACK)),
                idTime.map(t -> t.plus(ID_TIME_SLACK)), Optional.empty(), Optional.empty(), Optional.empty(), 1, true);
        byte[] needle = ("\"decision_id\":\"" + canonical + "\"").getBytes(StandardCharsets.US_ASCII);
        List<SegmentFile> likely = candidates(around);
        Optional<LoggedDecision> found = findIn(likely, needle, canonical);
        if (found.isPresent()) {
            return found;
        }
        // "Not in the log" is a claim about evidence: before making it, look everywhere else too.
        List<SegmentFile> rest = candidates(DecisionQuery.all());
        rest.removeAll(likely);
        return findIn(rest, needle, canonical);
    }

    private Optional<LoggedDecision> findIn(List<SegmentFile> segments, byte[] needle, String decisionId)
            throws IOException {
        List<LoggedDecision> found = new ArrayList<>(1);
        for (SegmentFile segment : segments) {
            scan(segment, needle, d -> d.decisionId().equals(decisionId), d -> {
                found.add(d);
                return false;
            });
            if (!found.isEmpty()) {
                return Optional.of(found.get(0));
            }
        }
        return Optional.empty();
    }

    /** Gives {@code sink} every decision {@code query} matches, in its order, until it returns false. */
    public void list(DecisionQuery query, Predicate<LoggedDecision> sink) throws IOException {
        int[] given = {0};
        Predicate<LoggedDecision> limited = d -> {
            given[0]++;
            boolean more = sink.test(d);
            return more && (query.limit() == 0 || given[0] < query.limit());
        };
        for (SegmentFile segment : candidates(query)) {
            if (query.newestFirst()) {
                List<LoggedDecision> matching = new ArrayList<>();
                scan(segment, null, query::matches, d -> matching.add(d));
                Collections.reverse(matching);
                for (LoggedDecision d : matching) {
                    if (!limited.test(d)) {
                        return;
                    }
                }
            } else if (!scan(segment, null, query::matches, limited)) {
                return;
            }
        }
    }

    /** The segments that may hold matches, in the query's order. */
    private List<SegmentFile> candidates(DecisionQuery query) throws IOException {
        List<SegmentFile> candidates = new ArrayList<>();
        for (SegmentFile segment : SegmentFile.list(dir)) {
            if (segment.sealed() && !mayMatch(segment, query)) {
                continue;
            }
            candidates.add(segment);
        }
        if (query.newestFirst()) {
            Collections.reverse(candidates);
        }
        return candidates;
    }

    private static boolean mayMatch(SegmentFile segment, DecisionQuery query) {
        try {
            Optional<SegmentDigest.Sealed> digest = SegmentDigest.parse(Files.readAllBytes(segment.digest()));
            if (digest.isEmpty()) {
                return true;
            }
            return query.mayMatchBetween(Instant.parse(digest.get().digest().minTime()),
                    Instant.parse(digest.get().digest().maxTime()));
        } catch (IOException | DateTimeParseException e) {
            return true; // when in doubt, read it
        }
    }

    /** Reads one segment; returns false when {@code sink} asked to stop. */
    private boolean scan(SegmentFile segment, byte[] needle, Predicate<LoggedDecision> filter,
            Predicate<LoggedDecision> sink) throws IOException {
        boolean[] more = {true};
        try {
            long limit = horizon.readableBytes(segment.number(), Files.size(segment.log()));
            SegmentLines.forEach(segment.log(), limit, line -> {
                if (!line.terminated() || (needle != null && !ByteSearch.contains(line.bytes(), needle))) {
                    return true;
                }
                Optional<RecordCodec.Decoded> decoded = RecordCodec.decode(line.bytes(), 0, line.bytes().length);
                if (decoded.isEmpty() || !PreparedRecord.DECISION.equals(decoded.get().type())) {
                    return true;
                }
                LoggedDecision decision;
                try {
                    decision = LoggedDecision.from(segment.name(), decoded.get());
                } catch (DateTimeParseException e) {
                    return true;
                }
                if (filter.test(decision)) {
                    more[0] = sink.test(decision);
                }
                return more[0];
            });
        } catch (NoSuchFileException e) {
            return true; // deleted by retention while we were looking
        }
        return more[0];
    }
}
