package dev.redline.pdp.server.audit.chain;

import java.io.IOException;
import java.util.Optional;

/**
 * A segment as the verifier reads it, wherever it is kept: a file pair in a log directory
 * ({@link SegmentFile}) or the messages one replica shipped to a topic ({@link ShippedSegment}).
 */
interface ChainSegment {
    long number();

    /** The segment's log name ({@code 00000042.jsonl}), which is how messages name it. */
    String name();

    /** The name its digest goes by in messages. */
    String digestName();

    boolean hasLog();

    /** The digest's bytes as written; empty while the segment is not sealed. */
    Optional<byte[]> digestContent() throws IOException;

    <E extends Exception> void forEachLine(SegmentLines.Visitor<E> visitor) throws IOException, E;
}
