package dev.redline.pdp.server.audit.shipping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.files.DurableFiles;
import dev.redline.pdp.server.audit.chain.LogCursor.Position;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How far the log was shipped and acknowledged, kept in a small file beside the log so that
 * shipping resumes there after a restart. Written only after Kafka acknowledged everything up to
 * it, so a crash can only make the shipper send again what Kafka already has, never skip a record.
 */
final class ShippedPosition {
    static final String FILE_NAME = "kafka-shipped.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ShippedPosition() {}

    /** The position in {@code file}; the start of the log when there is none yet. */
    static Position read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Position.START;
        }
        JsonNode node = JSON.readTree(Files.readAllBytes(file));
        if (node == null || !node.path("segment").canConvertToLong() || !node.path("offset").canConvertToLong()
                || !node.path("line").canConvertToInt() || !node.path("seq").canConvertToLong()) {
            throw new IOException("the shipping position " + file + " is not a position {segment, offset, line, seq};"
                    + " delete it to ship the whole log again (a consumer drops what it already has by chain and seq)");
        }
        return new Position(node.path("segment").asLong(), node.path("offset").asLong(), node.path("line").asInt(),
                node.path("seq").asLong());
    }

    static void write(Path file, Position position) throws IOException {
        String text = "{\"segment\":" + position.segment() + ",\"offset\":" + position.offset() + ",\"line\":"
                + position.line() + ",\"seq\":" + position.seq() + "}\n";
        DurableFiles.writeAtomically(file, text.getBytes(StandardCharsets.US_ASCII));
    }
}
