package dev.redline.pdp.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.bundle.BuiltInBundle;
import dev.redline.pdp.server.bundle.Bundle;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import dev.redline.pdp.server.engine.EngineLimits;
import dev.redline.pdp.server.engine.PolicyEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * One thread evaluating one input in process, through the engine, with a JFR recording (the
 * "profile" settings) of the measured part only: what bench/profile-eval.sh breaks down into the
 * phases of an evaluation. Prints the p50 and mean of the measured evaluations.
 *
 * <pre>
 * EvaluationProfile BUNDLE|builtin ENTRYPOINT INPUT_JSON|case:NAME WARMUP_SECONDS MEASURE_SECONDS OUT.jfr
 * </pre>
 */
public final class EvaluationProfile {
    private static final Duration EVALUATION_BOUND = Duration.ofSeconds(10);

    private EvaluationProfile() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            throw new IllegalArgumentException("usage: EvaluationProfile BUNDLE|builtin ENTRYPOINT INPUT_JSON|case:NAME"
                    + " WARMUP_SECONDS MEASURE_SECONDS OUT.jfr");
        }
        ObjectMapper json = new ObjectMapper();
        BundleReader reader = new BundleReader(json, BundleLimits.defaults(), SignaturePolicy.none());
        Bundle bundle = args[0].equals("builtin") ? reader.read(BuiltInBundle.NAME, BuiltInBundle.archive())
                : reader.read(Path.of(args[0]).getFileName().toString(), Files.readAllBytes(Path.of(args[0])));
        String entrypoint = args[1];
        byte[] input = args[2].startsWith("case:") ? ContractCases.inputJson(args[2].substring("case:".length()))
                : args[2].getBytes(StandardCharsets.UTF_8);
        Duration warmup = Duration.ofSeconds(Long.parseLong(args[3]));
        Duration measure = Duration.ofSeconds(Long.parseLong(args[4]));
        EngineLimits d = EngineLimits.defaults();
        // Roomy timeouts: the first, unJITted evaluations on a busy machine may take far longer
        // than a served decision may, and a profile is not a place to refuse one.
        try (PolicyEngine engine = new PolicyEngine(new EngineLimits(1, EVALUATION_BOUND, EVALUATION_BOUND,
                d.maxInputBytes(), d.maxMemoryBytes()), json)) {
            engine.activate(bundle);
            run(engine, entrypoint, input, warmup, null);
            try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
                recording.start();
                long[] nanos = run(engine, entrypoint, input, measure, new long[1 << 22]);
                recording.stop();
                recording.dump(Path.of(args[5]));
                System.out.printf("%s %s: %d evaluations, p50 %.2f us, mean %.2f us%n", bundle.name(), entrypoint,
                        nanos.length, percentile(nanos, 50) / 1e3, Arrays.stream(nanos).average().orElse(0) / 1e3);
            }
        }
    }

    /** Evaluates for {@code time}; with {@code samples}, records each evaluation's duration there. */
    private static long[] run(PolicyEngine engine, String entrypoint, byte[] input, Duration time, long[] samples) {
        long end = System.nanoTime() + time.toNanos();
        int n = 0;
        long blackhole = 0;
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            blackhole += engine.evaluate(entrypoint, input, input.length, start + EVALUATION_BOUND.toNanos())
                    .resultSet().length;
            if (samples != null && n < samples.length) {
                samples[n++] = System.nanoTime() - start;
            }
        }
        if (blackhole == 42) {
            System.out.print(""); // keeps the results alive for the JIT
        }
        return samples == null ? new long[0] : Arrays.copyOf(samples, n);
    }

    private static double percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
