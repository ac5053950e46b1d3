package dev.redline.pdp.server.audit.shipping;

import dev.redline.pdp.server.files.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The name of one replica's chain in a shared topic: generated once, kept beside the log it names.
 * It lives in the log directory, not elsewhere in the data directory, because it names that log:
 * a log started afresh (seq 1 again) must not continue an old chain in the topic.
 */
public final class ChainId {
    static final String FILE_NAME = "chain-id";
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private ChainId() {}

    /** The chain id kept in {@code logDir}, generated and made durable on first use. */
    public static String readOrCreate(Path logDir) throws IOException {
        Path file = logDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!SHAPE.matcher(id).matches()) {
                throw new IOException("the chain id in " + file + " is not 1 to 128 letters, digits, '.', '_' or '-': '"
                        + id + "'");
            }
            return id;
        }
        String id = UUID.randomUUID().toString();
        DurableFiles.writeAtomically(file, (id + "\n").getBytes(StandardCharsets.US_ASCII));
        return id;
    }
}
