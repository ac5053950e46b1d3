package dev.redline.pdp.server.decision;

import java.util.Optional;

/**
 * Who asked for a decision.
 *
 * @param peer the remote address, e.g. {@code 127.0.0.1:53412}
 * @param principal the authenticated principal, when an authentication interceptor set one
 */
public record Caller(Optional<String> peer, Optional<String> principal) {}
