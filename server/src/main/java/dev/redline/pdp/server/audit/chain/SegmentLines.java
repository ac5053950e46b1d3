package dev.redline.pdp.server.audit.chain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Reads a segment line by line, never past the bytes it had when reading started (or a limit). */
public final class SegmentLines {
    /**
     * One line.
     *
     * @param number 1-based line number
     * @param offset where it starts in the file
     * @param bytes its bytes, without the {@code \n}
     * @param terminated false for a last line with no {@code \n}: a write that was cut off
     */
    public record Line(int number, long offset, byte[] bytes, boolean terminated) {
        /** Bytes the line takes in the file, {@code \n} included. */
        long span() {
            return bytes.length + (terminated ? 1 : 0);
        }

        /** NUL never appears in JSON text; it does in file regions a crash left unwritten. */
        boolean hasNul() {
            for (byte b : bytes) {
                if (b == 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Receives lines; returns false to stop reading. */
    public interface Visitor<E extends Exception> {
        boolean visit(Line line) throws IOException, E;
    }

    private SegmentLines() {}

    public static <E extends Exception> void forEach(Path file, long limit, Visitor<E> visitor) throws IOException, E {
        forEach(file, 0, 1, limit, visitor);
    }

    /**
     * Reads from byte {@code start}, which must be where line {@code firstNumber} starts, up to
     * {@code limit}.
     */
    static <E extends Exception> void forEach(Path file, long start, int firstNumber, long limit, Visitor<E> visitor)
            throws IOException, E {
        long size = Math.min(Files.size(file), limit);
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(Math.min(start, size));
            byte[] chunk = new byte[1 << 16];
            byte[] line = new byte[1024];
            int length = 0;
            long offset = start;
            long lineStart = start;
            int number = firstNumber;
            while (offset < size) {
                int read = in.read(chunk, 0, (int) Math.min(chunk.length, size - offset));
                if (read < 0) {
                    break;
                }
                int from = 0;
                for (int i = 0; i < read; i++) {
                    if (chunk[i] != '\n') {
                        continue;
                    }
                    byte[] bytes = concat(line, length, chunk, from, i - from);
                    length = 0;
                    if (!visitor.visit(new Line(number++, lineStart, bytes, true))) {
                        return;
                    }
                    lineStart = offset + i + 1;
                    from = i + 1;
                }
                int rest = read - from;
                if (length + rest > line.length) {
                    line = Arrays.copyOf(line, Math.max(line.length * 2, length + rest));
                }
                System.arraycopy(chunk, from, line, length, rest);
                length += rest;
                offset += read;
            }
            if (length > 0) {
                visitor.visit(new Line(number, lineStart, Arrays.copyOf(line, length), false));
            }
        }
    }

    private static byte[] concat(byte[] head, int headLength, byte[] tail, int tailOffset, int tailLength) {
        byte[] bytes = Arrays.copyOf(head, headLength + tailLength);
        System.arraycopy(tail, tailOffset, bytes, headLength, tailLength);
        return bytes;
    }
}
