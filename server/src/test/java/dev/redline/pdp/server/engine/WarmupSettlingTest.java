package dev.redline.pdp.server.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When a warm-up counts as settled: rounds no longer faster, and the JIT no longer compiling. */
class WarmupSettlingTest {
    private static final long ROUND = 1_000_000; // 1 ms per round
    private static final long SECOND = 1_000_000_000L;

    /** A warm-up clock: rounds of a fixed length, and a JIT that compiles a share of the time. */
    private static final class Run {
        final AtomicLong jitNanos = new AtomicLong();
        final WarmupSettling settling;
        long now;

        Run(boolean jitClockKnown) {
            settling = new WarmupSettling(0, jitClockKnown ? () -> jitNanos.get() / 1_000_000 : () -> -1);
        }

        /** Runs rounds of {@code roundNanos} for {@code nanos} with the JIT busy {@code jitPercent}% of it. */
        boolean rounds(long roundNanos, long nanos, int jitPercent) {
            boolean settled = false;
            for (long end = now + nanos; now < end && !settled; ) {
                now += roundNanos;
                jitNanos.addAndGet(roundNanos * jitPercent / 100);
                settled = settling.roundEnded(roundNanos, now);
            }
            return settled;
        }
    }

    @Test
    void roundsThatKeepGettingFasterNeverSettle() {
        WarmupSettling settling = new WarmupSettling(0, () -> 0);
        long now = 0;
        long round = 100 * ROUND;
        for (int i = 0; i < 1000; i++) {
            round = round * 90 / 100 + 1; // 10% faster each time
            now += round;
            assertFalse(settling.roundEnded(round, now), "round " + i);
        }
    }

    @Test
    void flatRoundsWithAnIdleJitSettleOnceQuietForTheQuietTime() {
        Run run = new Run(true);
        assertFalse(run.rounds(ROUND, WarmupSettling.QUIET_TIME.toNanos() - 10 * ROUND, 0));
        assertTrue(run.rounds(ROUND, SECOND, 0));
    }

    @Test
    void fewerThanTheQuietRoundsDoNotSettleHoweverLongTheyTake() {
        Run run = new Run(true);
        long slowRound = 3 * SECOND / WarmupSettling.QUIET_ROUNDS;
        assertFalse(run.rounds(slowRound, slowRound * (WarmupSettling.QUIET_ROUNDS - 1), 0));
    }

    @Test
    void flatRoundsWhileTheJitIsBusyDoNotSettle() {
        Run run = new Run(true);
        assertFalse(run.rounds(ROUND, 30 * SECOND, 40));
    }

    @Test
    void flatRoundsSettleOnceTheJitHasGoneQuiet() {
        Run run = new Run(true);
        assertFalse(run.rounds(ROUND, 10 * SECOND, 40));
        assertTrue(run.rounds(ROUND, 2 * WarmupSettling.QUIET_TIME.toNanos() + SECOND, 0));
    }

    @Test
    void aJitBelowTheQuietShareCountsAsIdle() {
        Run run = new Run(true);
        assertTrue(run.rounds(ROUND, 10 * SECOND, WarmupSettling.JIT_QUIET_PERCENT - 2));
    }

    @Test
    void withoutAJitClockTheRoundsAloneDecide() {
        Run run = new Run(false);
        assertTrue(run.rounds(ROUND, 3 * SECOND, 90));
    }
}
