package dev.redline.pdp.server.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Runs a revision's warm-up inputs on its instances before the revision decides, so that the JIT
 * has compiled the policy's generated classes by the time the first caller arrives.
 *
 * <p>All instances of a revision run the same classes ({@link CompiledPolicy}), so rounds on one
 * instance warm the code for all; each other instance then gets one round, for its own heap. A
 * round is every input on every entrypoint. It runs until {@link WarmupSettling} says evaluation
 * time and the JIT have settled, or until the timeout.
 */
final class Warmup {
    private final Duration timeout;
    private final Duration evaluationBound;
    private final LongSupplier jitMillis;

    Warmup(Duration timeout, Duration evaluationBound) {
        this.timeout = timeout;
        this.evaluationBound = evaluationBound;
        this.jitMillis = WarmupSettling.jvmCompilationMillis();
    }

    /**
     * Warms {@code instances} with {@code inputs} (the bundle's representative inputs by path, the
     * ones its smoke check ran) on {@code entrypoints}.
     *
     * @throws PolicyLoadException when a warm-up evaluation fails: a policy that cannot evaluate
     *     the inputs its own bundle ships is refused before it decides
     */
    WarmupReport run(List<InstancePool.PooledInstance> instances, Map<String, Integer> entrypoints,
            Map<String, byte[]> inputs, boolean besideTraffic) throws PolicyLoadException {
        List<Map.Entry<String, byte[]>> round = List.copyOf(inputs.entrySet());
        long start = System.nanoTime();
        long stopAt = start + timeout.toNanos();
        long evaluations = 0;
        boolean settled = false;
        WarmupSettling settling = new WarmupSettling(start, jitMillis);
        InstancePool.PooledInstance first = instances.get(0);
        while (!settled && System.nanoTime() - stopAt < 0) {
            long roundStart = System.nanoTime();
            evaluations += evaluateRound(first, entrypoints, round);
            long roundEnd = System.nanoTime();
            settled = settling.roundEnded(roundEnd - roundStart, roundEnd);
            if (besideTraffic && !settled) {
                pause(roundEnd - roundStart);
            }
        }
        for (InstancePool.PooledInstance other : instances.subList(1, instances.size())) {
            evaluations += evaluateRound(other, entrypoints, round);
        }
        return new WarmupReport(Duration.ofNanos(System.nanoTime() - start), evaluations, settled);
    }

    /**
     * Beside a revision that is deciding, the warm-up gives up as much time as each round took, so
     * that on a small machine it takes at most half a core from the decisions in flight; the JIT's
     * compilations it triggers are the same, only spread out.
     */
    private static void pause(long nanos) throws PolicyLoadException {
        try {
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolicyLoadException("interrupted while warming up", e);
        }
    }

    private long evaluateRound(InstancePool.PooledInstance instance, Map<String, Integer> entrypoints,
            List<Map.Entry<String, byte[]>> round) throws PolicyLoadException {
        long evaluations = 0;
        for (Map.Entry<String, Integer> entrypoint : entrypoints.entrySet()) {
            for (int i = 0; i < round.size(); i++) {
                byte[] input = round.get(i).getValue();
                instance.guard().arm(System.nanoTime() + evaluationBound.toNanos());
                try {
                    instance.policy().evaluate(entrypoint.getValue(), input, input.length);
                } catch (RuntimeException | StackOverflowError e) {
                    boolean interrupted = instance.guard().disarm();
                    throw new PolicyLoadException("warm-up input " + round.get(i).getKey()
                            + " failed on entrypoint " + entrypoint.getKey() + ": " + (interrupted
                            ? "ran past " + evaluationBound.toMillis() + " ms" : e.toString()), e);
                }
                instance.guard().disarm();
                evaluations++;
            }
        }
        return evaluations;
    }
}
