package dev.redline.pdp.server.audit.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * One record per line. The body is the canonical JSON of every member except {@code hash},
 * including {@code seq} (1, 2, 3, ... across all segments) and {@code prev} (the previous record's
 * hash; 64 zeros for the first record ever); {@code hash} is the lowercase hex SHA-256 of the body
 * bytes, so it covers the previous hash and the record. The line is the body with {@code hash}
 * appended as its last member (see {@link SealedJson}), then {@code \n}.
 */
public final class RecordCodec {
    static final String HASH = "hash";

    /** A line ready to append and the hash it ends the chain with. */
    record Encoded(byte[] line, String hash) {}

    /**
     * A line read back.
     *
     * @param body the bytes the hash covers
     * @param hash the hash the line states
     * @param record the body parsed
     */
    public record Decoded(byte[] body, String hash, JsonNode record) {
        /** True when the stated hash is the hash of the body: the line is as it was written. */
        boolean intact() {
            return Sha256.hex(body, 0, body.length).equals(hash);
        }

        public long seq() {
            return record.path("seq").asLong(-1);
        }

        String prev() {
            return record.path("prev").asText("");
        }

        public String type() {
            return record.path("type").asText("");
        }
    }

    private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PREV = "\"prev\":\"".getBytes(StandardCharsets.US_ASCII);

    private RecordCodec() {}

    static Encoded encode(PreparedRecord record, long seq, String prev, MessageDigest sha256) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        body.write('{');
        boolean seqWritten = false;
        boolean prevWritten = false;
        boolean first = true;
        for (Map.Entry<String, byte[]> member : record.members().entrySet()) {
            String name = member.getKey();
            if (!prevWritten && name.compareTo("prev") > 0) {
                first = writePrev(body, prev, first);
                prevWritten = true;
            }
            if (!seqWritten && name.compareTo("seq") > 0) {
                first = writeSeq(body, seq, first);
                seqWritten = true;
            }
            if (!first) {
                body.write(',');
            }
            first = false;
            body.write('"');
            body.writeBytes(name.getBytes(StandardCharsets.UTF_8));
            body.write('"');
            body.write(':');
            body.writeBytes(member.getValue());
        }
        if (!prevWritten) {
            first = writePrev(body, prev, first);
        }
        if (!seqWritten) {
            writeSeq(body, seq, first);
        }
        body.write('}');
        byte[] bodyBytes = body.toByteArray();
        sha256.reset();
        String hash = Sha256.HEX.formatHex(sha256.digest(bodyBytes));
        byte[] sealed = SealedJson.seal(bodyBytes, HASH, hash);
        byte[] line = new byte[sealed.length + 1];
        System.arraycopy(sealed, 0, line, 0, sealed.length);
        line[sealed.length] = '\n';
        return new Encoded(line, hash);
    }

    private static boolean writePrev(ByteArrayOutputStream body, String prev, boolean first) {
        if (!first) {
            body.write(',');
        }
        body.writeBytes(PREV);
        body.writeBytes(prev.getBytes(StandardCharsets.US_ASCII));
        body.write('"');
        return false;
    }

    private static boolean writeSeq(ByteArrayOutputStream body, long seq, boolean first) {
        if (!first) {
            body.write(',');
        }
        body.writeBytes(SEQ);
        body.writeBytes(Long.toString(seq).getBytes(StandardCharsets.US_ASCII));
        return false;
    }

    /**
     * Reads one line (without its {@code \n}); empty when it is not a sealed JSON object with a
     * numeric {@code seq} and a hash-shaped {@code prev}.
     */
    public static Optional<Decoded> decode(byte[] bytes, int offset, int length) {
        Optional<SealedJson.Split> split = SealedJson.split(bytes, offset, length, HASH);
        if (split.isEmpty()) {
            return Optional.empty();
        }
        byte[] body = split.get().body();
        JsonNode record;
        try {
            record = CanonicalJson.read(body, 0, body.length);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (record == null || !record.isObject() || record.has(HASH) || !record.path("seq").isIntegralNumber()
                || !Sha256.isHash(record.path("prev").asText(null))) {
            return Optional.empty();
        }
        return Optional.of(new Decoded(body, split.get().seal(), record));
    }
}
