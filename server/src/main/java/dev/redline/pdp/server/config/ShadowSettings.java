package dev.redline.pdp.server.config;

/**
 * Shadow evaluation of a second bundle on live traffic (see docs/replay.md).
 *
 * @param sampleRate the share of answered decisions also asked of the shadowed bundle, 0 to 1
 * @param threads decisions shadowed at once, at most; one offered while all are busy is dropped
 */
public record ShadowSettings(double sampleRate, int threads) {
    public static final double DEFAULT_SAMPLE_RATE = 1.0;
    public static final int DEFAULT_THREADS = 1;

    public ShadowSettings {
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("shadow-sample-rate must be from 0 to 1, got " + sampleRate);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("shadow-threads must be at least 1, got " + threads);
        }
    }

    public static ShadowSettings defaults() {
        return new ShadowSettings(DEFAULT_SAMPLE_RATE, DEFAULT_THREADS);
    }

    public ShadowSettings withSampleRate(double sampleRate) {
        return new ShadowSettings(sampleRate, threads);
    }

    public ShadowSettings withThreads(int threads) {
        return new ShadowSettings(sampleRate, threads);
    }
}
