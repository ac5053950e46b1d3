package dev.redline.pdp.server.decision;

import dev.redline.pdp.server.decision.InvalidRequestException.Kind;

/**
 * The bounds and shape rules for the parts of a request other than its input: the entrypoint path
 * and the request id, both echoed in every answer and record, so both are bounded.
 * Checked with plain loops, never a regular expression, so no path can cost more than one pass
 * over its characters or any stack at all (a regex over repeated groups recursed per segment, and
 * ~1,500 segments overflowed a decision thread's stack).
 */
public final class RequestBounds {
    /** The longest entrypoint path, in bytes (all path characters are ASCII). */
    public static final int MAX_PATH_BYTES = 1024;
    /** The most slash-separated segments in an entrypoint path. */
    public static final int MAX_PATH_SEGMENTS = 64;
    /** The longest request id, in bytes of UTF-8. */
    public static final int MAX_REQUEST_ID_BYTES = 256;
    /** How much of a refused value a message quotes. */
    static final int QUOTED_PREFIX = 64;

    private RequestBounds() {}

    /**
     * The entrypoint a request names: {@code path}, or {@link PolicyDecider#DEFAULT_PATH} for "".
     *
     * @throws InvalidRequestException (INVALID_PATH) when the path is too long, has too many
     *     segments, is a data reference, or is not slash-separated rule names
     */
    public static String entrypoint(String path) {
        if (path.isEmpty()) {
            return PolicyDecider.DEFAULT_PATH;
        }
        if (path.length() > MAX_PATH_BYTES) {
            throw new InvalidRequestException(Kind.INVALID_PATH, "path " + quoted(path) + " is longer than the limit of "
                    + MAX_PATH_BYTES + " bytes");
        }
        if (path.startsWith("data.") || path.startsWith("data/")) {
            throw new InvalidRequestException(Kind.INVALID_PATH, "path " + quoted(path)
                    + " is a data reference; name the entrypoint without the data prefix, e.g. "
                    + PolicyDecider.DEFAULT_PATH);
        }
        int segments = 1;
        boolean segmentStart = true;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            boolean ok;
            if (c == '/') {
                ok = !segmentStart && i < path.length() - 1;
                segments++;
                segmentStart = true;
            } else {
                ok = isNameStart(c) || (!segmentStart && (c == '.' || c == '-'));
                segmentStart = false;
            }
            if (!ok) {
                throw new InvalidRequestException(Kind.INVALID_PATH, "path " + quoted(path)
                        + " is not an entrypoint path; expected slash-separated rule names such as "
                        + PolicyDecider.DEFAULT_PATH);
            }
        }
        if (segments > MAX_PATH_SEGMENTS) {
            throw new InvalidRequestException(Kind.INVALID_PATH, "path " + quoted(path) + " has " + segments
                    + " segments, more than " + MAX_PATH_SEGMENTS + " segments allowed");
        }
        return path;
    }

    /**
     * The request id, unchanged, when it is within {@link #MAX_REQUEST_ID_BYTES}.
     *
     * @throws InvalidRequestException (INVALID_REQUEST_ID) when it is longer
     */
    public static String requestId(String requestId) {
        // a char is at most 3 bytes of UTF-8 (a surrogate pair is 4 for 2 chars): most ids need no count
        if (requestId.length() * 3 <= MAX_REQUEST_ID_BYTES) {
            return requestId;
        }
        int bytes = utf8Length(requestId, MAX_REQUEST_ID_BYTES);
        if (bytes > MAX_REQUEST_ID_BYTES) {
            throw new InvalidRequestException(Kind.INVALID_REQUEST_ID, "request_id " + quoted(requestId)
                    + " is longer than the limit of " + MAX_REQUEST_ID_BYTES + " bytes of UTF-8");
        }
        return requestId;
    }

    /** The UTF-8 length of {@code s}, counted only until it passes {@code limit}. */
    private static int utf8Length(String s, int limit) {
        int bytes = 0;
        for (int i = 0; i < s.length() && bytes <= limit; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /** {@code value} in quotes, cut to a bounded prefix with its full length named when longer. */
    static String quoted(String value) {
        if (value.length() <= QUOTED_PREFIX) {
            return "\"" + value + "\"";
        }
        return "\"" + value.substring(0, QUOTED_PREFIX) + "...\" (" + value.length() + " characters)";
    }
}
