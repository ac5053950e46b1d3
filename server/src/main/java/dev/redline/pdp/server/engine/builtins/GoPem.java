package dev.redline.pdp.server.engine.builtins;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Go's {@code encoding/pem.Decode}: the first well-formed block in the text (a BEGIN line at the
 * start of a line, optional {@code Key: value} headers, a base64 body, the matching END line) and
 * the text after it. Malformed blocks are skipped, as Go skips them. Text is handled as ISO-8859-1,
 * so bytes from a base64 decoding pass through unchanged.
 */
final class GoPem {
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "\n-----END ";

    /** One block: its type and decoded bytes. */
    record Block(String type, byte[] bytes) {}

    /** The block found (null if none) and the text after it (all of it when none was found). */
    record Decoded(Block block, String rest) {}

    private GoPem() {}

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static Decoded decode(String data) {
        String rest = data;
        while (true) {
            int newline = rest.startsWith(BEGIN) ? -1 : rest.indexOf("\n" + BEGIN);
            if (newline < 0 && !rest.startsWith(BEGIN)) {
                return new Decoded(null, data);
            }
            rest = rest.substring(newline + 1 + BEGIN.length());
            String[] typeLine = line(rest);
            rest = typeLine[1];
            if (!typeLine[0].endsWith("-----")) {
                continue;
            }
            String type = typeLine[0].substring(0, typeLine[0].length() - 5);
            String body = skipHeaders(rest);
            int endIndex;
            int trailer;
            if (body.startsWith(END.substring(1))) {
                endIndex = 0;
                trailer = END.length() - 1;
            } else {
                endIndex = body.indexOf(END);
                trailer = endIndex + END.length();
            }
            if (endIndex < 0) {
                continue;
            }
            String[] endLine = line(body.substring(trailer));
            if (!endLine[0].equals(type + "-----")) {
                continue;
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(body.substring(0, endIndex).replaceAll("[ \t\r\n]", ""));
            } catch (IllegalArgumentException e) {
                continue;
            }
            return new Decoded(new Block(type, bytes), endLine[1]);
        }
    }

    /** Go's getLine: the line without its trailing spaces, tabs and CR, and the text after its newline. */
    private static String[] line(String s) {
        int eol = s.indexOf('\n');
        String line = eol < 0 ? s : s.substring(0, eol);
        int end = line.length();
        while (end > 0 && " \t\r".indexOf(line.charAt(end - 1)) >= 0) {
            end--;
        }
        return new String[] {line.substring(0, end), eol < 0 ? "" : s.substring(eol + 1)};
    }

    /** The text after the {@code Key: value} header lines that may open a block. */
    private static String skipHeaders(String s) {
        String rest = s;
        while (!rest.isEmpty()) {
            String[] l = line(rest);
            if (l[0].indexOf(':') < 0) {
                return rest;
            }
            rest = l[1];
        }
        return rest;
    }
}
