package dev.redline.pdp.server.config;

import java.time.Duration;

/**
 * The impact gate on activation (see docs/replay.md).
 *
 * @param everyActivation every activating push is gated, whether it asks ({@code --gate}) or not
 * @param window how far back the logged decisions it replays go
 * @param maxDecisions at most this many of them, the newest
 */
public record GateSettings(boolean everyActivation, Duration window, int maxDecisions) {
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    public static final int DEFAULT_MAX_DECISIONS = 100_000;

    public GateSettings {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("gate-window must be positive, got " + window);
        }
        if (maxDecisions < 1) {
            throw new IllegalArgumentException("gate-max-decisions must be at least 1, got " + maxDecisions);
        }
    }

    public static GateSettings defaults() {
        return new GateSettings(false, DEFAULT_WINDOW, DEFAULT_MAX_DECISIONS);
    }

    public GateSettings withEveryActivation(boolean everyActivation) {
        return new GateSettings(everyActivation, window, maxDecisions);
    }

    public GateSettings withWindow(Duration window) {
        return new GateSettings(everyActivation, window, maxDecisions);
    }

    public GateSettings withMaxDecisions(int maxDecisions) {
        return new GateSettings(everyActivation, window, maxDecisions);
    }
}
