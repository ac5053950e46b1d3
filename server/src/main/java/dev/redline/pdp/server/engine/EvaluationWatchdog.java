package dev.redline.pdp.server.engine;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Stops evaluations that run past their deadline by interrupting their thread (Chicory's
 * compiled code checks the interrupt flag and throws).
 *
 * <p>One daemon thread scans a fixed set of {@link Guard}s, one per policy instance, so arming a
 * deadline costs two volatile writes and no allocation on the decision path.
 */
final class EvaluationWatchdog implements AutoCloseable {
    private final CopyOnWriteArrayList<Guard> guards = new CopyOnWriteArrayList<>();
    private final long tickNanos;
    private final Thread thread;
    private volatile boolean running = true;

    EvaluationWatchdog(Duration tick) {
        this.tickNanos = tick.toNanos();
        this.thread = new Thread(this::run, "pdp-eval-watchdog");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    Guard newGuard() {
        Guard guard = new Guard(this);
        guards.add(guard);
        return guard;
    }

    void remove(Guard guard) {
        guards.remove(guard);
    }

    private void run() {
        while (running) {
            LockSupport.parkNanos(tickNanos);
            long now = System.nanoTime();
            for (Guard guard : guards) {
                guard.fireIfExpired(now);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
    }

    /** The deadline of the evaluation running on one instance, if any. */
    static final class Guard {
        private static final int IDLE = 0;
        private static final int RUNNING = 1;
        private static final int FIRING = 2;
        private static final int FIRED = 3;

        private final EvaluationWatchdog owner;
        private final AtomicInteger state = new AtomicInteger(IDLE);
        private volatile Thread runner;
        private volatile long deadlineNanos;

        private Guard(EvaluationWatchdog owner) {
            this.owner = owner;
        }

        /** Stops scanning this guard; its instance is gone. */
        void retire() {
            owner.remove(this);
        }

        /** Starts watching the calling thread until {@link #disarm()}. */
        void arm(long deadlineNanos) {
            this.runner = Thread.currentThread();
            this.deadlineNanos = deadlineNanos;
            state.set(RUNNING);
        }

        /**
         * Stops watching. Returns true when the watchdog interrupted this evaluation; the
         * interrupt flag it set is cleared either way, so it never leaks into unrelated code.
         */
        boolean disarm() {
            if (state.compareAndSet(RUNNING, IDLE)) {
                return false;
            }
            while (state.get() != FIRED) {
                Thread.onSpinWait();
            }
            Thread.interrupted();
            state.set(IDLE);
            return true;
        }

        void fireIfExpired(long now) {
            if (state.get() == RUNNING && now - deadlineNanos >= 0 && state.compareAndSet(RUNNING, FIRING)) {
                runner.interrupt();
                state.set(FIRED);
            }
        }
    }
}
