package dev.redline.pdp.server.store;

import java.time.Instant;
import java.util.List;

/**
 * Which stored bundle is active, and the ones active before it (most recent first), which is
 * what a rollback returns to.
 */
public record ActiveChoice(String digest, Instant activatedAt, List<String> previous) {
    public ActiveChoice {
        previous = List.copyOf(previous);
    }
}
