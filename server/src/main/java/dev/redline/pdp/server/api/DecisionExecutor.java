package dev.redline.pdp.server.api;

import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs decision calls on as many threads as there are policy instances; every other call (health,
 * reflection) stays on gRPC's default executor, so a health check never queues behind decisions.
 *
 * <p>Why a fixed pool: a decision is short CPU work that holds a policy instance throughout. With
 * gRPC's default unbounded pool, every call in flight had its own thread, most of them parked on
 * the instance pool and woken one by one, each wake-up a context switch on the decision path
 * (bench/PERFORMANCE-WORK.md, section 2). With one thread per instance, a thread that finishes a decision takes the next queued
 * call without parking, and never waits for an instance. Calls queue here instead, and the time
 * they wait counts against the queue timeout from their arrival ({@link CallArrival}).
 */
public final class DecisionExecutor implements ServerCallExecutorSupplier, AutoCloseable {
    private final ExecutorService pool;

    public DecisionExecutor(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a decision executor needs at least one thread, got " + threads);
        }
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, "pdp-decide-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata headers) {
        boolean decision = DecisionServiceGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName());
        return decision ? pool : null;
    }

    /** Stops the threads once the calls already queued have run. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
