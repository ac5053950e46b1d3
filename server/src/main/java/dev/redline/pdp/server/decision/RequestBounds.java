package dev.redline.pdp.server.decision;

import dev.redline.pdp.server.decision.InvalidRequestException.Kind;

/**
 * The bounds and shape rules for the parts of a request other than its input: the entrypoint path.
 * Checked with plain loops, never a regular expression, so no path can cost more than one pass
 * over its characters or any stack at all (a regex over repeated groups recursed per segment, and
 * ~1,500 segments overflowed a decision thread's stack).
 */
public final class RequestBounds {
    /** The longest entrypoint path, in bytes (all path characters are ASCII). */
    public static final int MAX_PATH_BYTES = 1024;
    /** The most slash-separated segments in an entrypoint path. */
    public static final int MAX_PATH_SEGMENTS = 64;
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
