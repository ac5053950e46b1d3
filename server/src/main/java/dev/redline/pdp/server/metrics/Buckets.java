package dev.redline.pdp.server.metrics;

import io.prometheus.metrics.core.metrics.Histogram;

/** The latency buckets every PDP histogram shares: 50 µs to 1 s, in seconds. */
final class Buckets {
    private static final double[] LATENCY_SECONDS = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0
    };

    private Buckets() {}

    static Histogram.Builder latency(String name, String help) {
        return Histogram.builder().name(name).help(help)
                .classicOnly().classicUpperBounds(LATENCY_SECONDS);
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
