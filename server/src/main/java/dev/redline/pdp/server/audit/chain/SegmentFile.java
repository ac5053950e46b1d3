package dev.redline.pdp.server.audit.chain;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One segment of the log: {@code 00000042.jsonl} holds records, {@code 00000042.digest.json} seals
 * it once it is full. Segments are numbered from 1 with no gaps; only the newest may lack a digest.
 *
 * @param number the segment number
 * @param log the records
 * @param digest the digest written when it was sealed
 */
public record SegmentFile(long number, Path log, Path digest) implements ChainSegment {
    private static final Pattern NAME = Pattern.compile("(\\d{8,})\\.(jsonl|digest\\.json)");

    static SegmentFile in(Path dir, long number) {
        return new SegmentFile(number, dir.resolve(logName(number)), dir.resolve(digestName(number)));
    }

    static String logName(long number) {
        return String.format("%08d.jsonl", number);
    }

    static String digestName(long number) {
        return String.format("%08d.digest.json", number);
    }

    /** The number in a segment's log name; empty for any other name. */
    static Optional<Long> numberOf(String logName) {
        Matcher m = NAME.matcher(logName);
        return m.matches() && m.group(2).equals("jsonl") ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    /** The segment's file name, which is how messages and records name it. */
    @Override
    public String name() {
        return log.getFileName().toString();
    }

    @Override
    public String digestName() {
        return digest.getFileName().toString();
    }

    @Override
    public boolean hasLog() {
        return Files.exists(log);
    }

    @Override
    public Optional<byte[]> digestContent() throws IOException {
        return sealed() ? Optional.of(Files.readAllBytes(digest)) : Optional.empty();
    }

    @Override
    public <E extends Exception> void forEachLine(SegmentLines.Visitor<E> visitor) throws IOException, E {
        SegmentLines.forEach(log, Long.MAX_VALUE, visitor);
    }

    public boolean sealed() {
        return Files.exists(digest);
    }

    /**
     * Every segment of which a log or a digest exists in {@code dir}, oldest first. Other files
     * (the key, temporary files) are ignored.
     */
    public static List<SegmentFile> list(Path dir) throws IOException {
        TreeSet<Long> numbers = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                Matcher m = NAME.matcher(file.getFileName().toString());
                if (m.matches()) {
                    numbers.add(Long.parseLong(m.group(1)));
                }
            }
        }
        List<SegmentFile> segments = new ArrayList<>(numbers.size());
        numbers.forEach(n -> segments.add(in(dir, n)));
        return segments;
    }
}
