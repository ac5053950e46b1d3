package dev.redline.pdp.server.audit.shipping;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * How a replica's log travels in a topic. Each message is keyed by the replica's chain id, so one
 * chain stays in one partition, in order. Its value is exactly what the local log holds: a record
 * line without its newline, or a segment digest's content. Headers say which:
 * <ul>
 *   <li>{@value #KIND}: {@value #RECORD} or {@value #DIGEST};
 *   <li>{@value #SEGMENT}: the segment's log name, e.g. {@code 00000042.jsonl};
 *   <li>{@value #LINE}: for a record, its 1-based line in that segment.
 * </ul>
 * A record shipped again after a restart is the same bytes under the same segment and line, which
 * is how a reader tells a redelivery from a record claiming someone else's place (the record's own
 * {@code seq} is inside the value, covered by its hash).
 */
public final class ShippedMessage {
    public static final String KIND = "pdp.kind";
    public static final String SEGMENT = "pdp.segment";
    public static final String LINE = "pdp.line";
    public static final String RECORD = "record";
    public static final String DIGEST = "digest";

    private ShippedMessage() {}

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static Optional<String> header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null
                ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }
}
