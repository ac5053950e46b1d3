package dev.redline.pdp.server.decision;

import java.util.Optional;

/**
 * Who asked for a decision, and in which trace.
 *
 * @param peer the remote address, e.g. {@code 127.0.0.1:53412}
 * @param principal the authenticated principal, when the call was authenticated
 * @param method how the principal was verified: {@code mtls} or {@code jwt} (or what an
 *     authentication interceptor names); empty when no principal was verified
 * @param trace the W3C trace context the caller sent, when it sent a valid one
 */
public record Caller(Optional<String> peer, Optional<String> principal, Optional<String> method,
        Optional<TraceContext> trace) {
    /** A caller whose principal, if any, was named without a verification method, outside any trace. */
    public Caller(Optional<String> peer, Optional<String> principal) {
        this(peer, principal, Optional.empty(), Optional.empty());
    }

    /** Whether the policy's {@code input.caller} is set for this call: a verified principal and its method. */
    public boolean verified() {
        return principal.isPresent() && method.isPresent();
    }
}
