package dev.redline.pdp.server.audit.chain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One segment of a chain as it arrived from a topic: its record lines in the order they were
 * received, and its digest once that arrived. Records are complete lines by construction (a
 * message is never cut short), so what the verifier finds here is tampering, not a crash.
 */
public final class ShippedSegment implements ChainSegment {
    private final long number;
    private final String name;
    private final List<byte[]> lines = new ArrayList<>();
    private final List<String> lineOrigins = new ArrayList<>();
    private byte[] digest;
    private String digestOrigin;

    /** @throws IllegalArgumentException when {@code name} is not a segment's log name */
    public ShippedSegment(String name) {
        this.number = SegmentFile.numberOf(name)
                .orElseThrow(() -> new IllegalArgumentException("not a segment name: " + name));
        this.name = name;
    }

    private final List<Long> places = new ArrayList<>();

    /** Appends a record line (without its newline); {@code origin} says where it came from, for messages. */
    public void addLine(byte[] line, String origin) {
        addLine(line, Long.MAX_VALUE, origin);
    }

    /** Appends a record line that says it is line {@code place} of the segment its replica wrote. */
    public void addLine(byte[] line, long place, String origin) {
        lines.add(line);
        lineOrigins.add(origin);
        places.add(place);
    }

    /**
     * Puts the lines in the order their replica wrote them (stably: lines claiming the same place
     * keep their arrival order, and lines that name no place go last). Arrival order is no evidence:
     * a producer restarted after a failure sends again what an earlier one may still deliver, so
     * a topic can hold a record before one it follows; the hash chain is what proves the order.
     */
    public void orderAsWritten() {
        Integer[] order = new Integer[lines.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingLong(places::get));
        List<byte[]> sortedLines = new ArrayList<>();
        List<String> sortedOrigins = new ArrayList<>();
        List<Long> sortedPlaces = new ArrayList<>();
        for (int i : order) {
            sortedLines.add(lines.get(i));
            sortedOrigins.add(lineOrigins.get(i));
            sortedPlaces.add(places.get(i));
        }
        lines.clear();
        lines.addAll(sortedLines);
        lineOrigins.clear();
        lineOrigins.addAll(sortedOrigins);
        places.clear();
        places.addAll(sortedPlaces);
    }

    public void setDigest(byte[] content, String origin) {
        this.digest = content;
        this.digestOrigin = origin;
    }

    public int lineCount() {
        return lines.size();
    }

    /** The line at 1-based {@code number}. */
    public byte[] line(int number) {
        return lines.get(number - 1);
    }

    /** The key id the digest names, when there is a well-formed digest. */
    public Optional<String> digestKeyId() {
        return digest == null ? Optional.empty() : SegmentDigest.parse(digest).map(d -> d.digest().keyId());
    }

    public boolean sealed() {
        return digest != null;
    }

    /** Where line {@code number} (1-based), or the digest for 0, came from; empty when unknown. */
    public Optional<String> origin(int number) {
        if (number == 0) {
            return Optional.ofNullable(digestOrigin);
        }
        return number <= lineOrigins.size() ? Optional.of(lineOrigins.get(number - 1)) : Optional.empty();
    }

    @Override
    public long number() {
        return number;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String digestName() {
        return SegmentFile.digestName(number);
    }

    @Override
    public boolean hasLog() {
        return !lines.isEmpty();
    }

    @Override
    public Optional<byte[]> digestContent() {
        return Optional.ofNullable(digest);
    }

    @Override
    public <E extends Exception> void forEachLine(SegmentLines.Visitor<E> visitor) throws java.io.IOException, E {
        long offset = 0;
        for (int i = 0; i < lines.size(); i++) {
            SegmentLines.Line line = new SegmentLines.Line(i + 1, offset, lines.get(i), true);
            offset += line.span();
            if (!visitor.visit(line)) {
                return;
            }
        }
    }
}
