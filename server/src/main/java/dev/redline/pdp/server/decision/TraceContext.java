package dev.redline.pdp.server.decision;

import java.util.Optional;

/**
 * The W3C trace context a caller sent with its request ({@code traceparent}), recorded with the
 * decision so a model call can be joined to the decision that allowed it.
 *
 * @param traceId 32 lowercase hex digits, not all zero
 * @param spanId the caller's span, 16 lowercase hex digits, not all zero
 */
public record TraceContext(String traceId, String spanId) {
    private static final int LENGTH = 55; // "00-" + 32 + "-" + 16 + "-" + 2

    /**
     * Reads a {@code traceparent} header ({@code version-traceid-spanid-flags}). Anything not in
     * the W3C format is ignored (empty), as the recommendation asks of a receiver: a bad header
     * must not fail the decision, and must not be recorded as if it named a trace.
     */
    public static Optional<TraceContext> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String value = header.strip();
        // a later version may append fields after the flags, behind a '-'
        boolean longer = value.length() > LENGTH && value.charAt(LENGTH) == '-' && !value.startsWith("00");
        if (value.length() != LENGTH && !longer) {
            return Optional.empty();
        }
        if (value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
            return Optional.empty();
        }
        String version = value.substring(0, 2);
        String traceId = value.substring(3, 35);
        String spanId = value.substring(36, 52);
        String flags = value.substring(53, 55);
        if (!hex(version) || version.equals("ff") || !hex(traceId) || !hex(spanId) || !hex(flags)
                || zero(traceId) || zero(spanId)) {
            return Optional.empty();
        }
        return Optional.of(new TraceContext(traceId, spanId));
    }

    private static boolean hex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean zero(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
