package dev.redline.pdp.server.decision;

import java.util.Optional;

/**
 * Who asked for a decision, and in which trace.
 *
 * @param peer the remote address, e.g. {@code 127.0.0.1:53412}
 * @param principal the authenticated principal, when an authentication interceptor set one
 * @param trace the W3C trace context the caller sent, when it sent a valid one
 */
public record Caller(Optional<String> peer, Optional<String> principal, Optional<TraceContext> trace) {
    public Caller(Optional<String> peer, Optional<String> principal) {
        this(peer, principal, Optional.empty());
    }
}
