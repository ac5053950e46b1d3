package dev.redline.pdp.server.policy;

import dev.redline.pdp.server.engine.LoadedPolicy;
import java.time.Instant;

/**
 * Where the lifecycle hands the bundle chosen to shadow the active one ({@code pdp bundle shadow}):
 * it evaluates, after each answer, what the active bundle answered. The lifecycle decides which bundle
 * that is and remembers the choice; the target only evaluates.
 */
public interface ShadowTarget {
    /** No shadow evaluation: a bundle handed over is closed at once. */
    ShadowTarget NONE = new ShadowTarget() {
        @Override
        public void start(LoadedPolicy shadow, Instant startedAt) {
            shadow.close();
        }

        @Override
        public void stop() {}
    };

    /**
     * Shadows the active bundle with {@code shadow} (loaded and checked, not active) from now on,
     * replacing and closing any shadow before it. The target owns {@code shadow} and closes it.
     */
    void start(LoadedPolicy shadow, Instant startedAt);

    /** Ends shadow evaluation, if it runs, and closes the shadowed bundle. */
    void stop();
}
