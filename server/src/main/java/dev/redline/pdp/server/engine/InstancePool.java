package dev.redline.pdp.server.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A fixed number of policy instances of one bundle, each handed to one thread at a time.
 *
 * <p>Unlike opa-java-wasm's {@code OpaPolicyPool}, returning an instance does not reset its data:
 * data is loaded once per instance. An instance that was interrupted or failed is discarded and
 * a fresh one is built in the background, so the pool heals without blocking decisions.
 */
final class InstancePool implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(InstancePool.class.getName());

    /** Builds one instance; may take a while (Wasm to bytecode compilation). */
    interface Factory {
        PooledInstance create() throws PolicyLoadException;
    }

    /** An instance with the deadline guard that watches it. */
    record PooledInstance(WasmPolicyInstance policy, EvaluationWatchdog.Guard guard) {}

    private static final PooledInstance CLOSED = new PooledInstance(null, null);

    private final ArrayBlockingQueue<PooledInstance> idle;
    private final Factory factory;
    private final Executor rebuilder;
    private final int size;
    private volatile boolean closed;

    InstancePool(List<PooledInstance> instances, Factory factory, Executor rebuilder) {
        this.size = instances.size();
        this.idle = new ArrayBlockingQueue<>(size);
        this.idle.addAll(instances);
        this.factory = factory;
        this.rebuilder = rebuilder;
    }

    int size() {
        return size;
    }

    /** Instances idle now (a snapshot; it moves while it is read). */
    int idleCount() {
        return idle.size();
    }

    /**
     * Takes an idle instance, waiting up to {@code timeoutNanos}. Returns null on timeout, and
     * {@link #isClosed() closed} tells the caller to retry on the bundle that replaced this one.
     */
    PooledInstance acquire(long timeoutNanos) throws InterruptedException {
        PooledInstance instance = idle.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        if (instance == CLOSED) {
            idle.offer(CLOSED); // wake the next waiter too
            return null;
        }
        return instance;
    }

    boolean isClosed() {
        return closed;
    }

    void release(PooledInstance instance) {
        if (closed || !idle.offer(instance)) {
            retire(instance);
        }
    }

    /** Drops an instance that may be in a bad state and builds a replacement in the background. */
    void discard(PooledInstance instance) {
        retire(instance);
        if (closed) {
            return;
        }
        rebuilder.execute(() -> {
            try {
                release(factory.create());
            } catch (PolicyLoadException | RuntimeException e) {
                LOG.log(Level.SEVERE, "could not rebuild a discarded policy instance", e);
            }
        });
    }

    private void retire(PooledInstance instance) {
        // The guard belongs to the watchdog's scan list; the Wasm instance is garbage once dropped.
        if (instance.guard() != null) {
            instance.guard().retire();
        }
    }

    @Override
    public void close() {
        closed = true;
        List<PooledInstance> drained = new ArrayList<>();
        idle.drainTo(drained);
        drained.stream().filter(i -> i != CLOSED).forEach(this::retire);
        idle.offer(CLOSED);
    }
}
