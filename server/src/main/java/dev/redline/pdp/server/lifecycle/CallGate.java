package dev.redline.pdp.server.lifecycle;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Knows which calls are in flight, and once {@link #close closed} refuses every new one
 * {@code UNAVAILABLE}, so a drain can wait for exactly the calls it let in. A call is in flight from
 * the moment it starts until it is answered, fails, or its caller cancels it.
 *
 * <p>Why not gRPC's own {@code Server.shutdown()}: it refuses new calls with a transport error that
 * says nothing of why, and {@code awaitTermination()} also waits for long-lived calls such as health
 * watches, which never end by themselves.
 */
public final class CallGate implements ServerInterceptor {
    /** What a refused caller reads: the fact, and what to do. */
    public static final String DRAINING = "the PDP is draining: it is shutting down and takes no new calls;"
            + " send this call to another replica";

    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object idle = new Object();
    private volatile boolean closed;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        // counted before the check: a drain that closes the gate then sees every call that got past it
        inFlight.incrementAndGet();
        if (closed) {
            leave();
            call.close(Status.UNAVAILABLE.withDescription(DRAINING), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        GatedCall<Q, R> gated = new GatedCall<>(call, this);
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(gated, headers);
        } catch (RuntimeException | Error e) {
            gated.finished();
            throw e;
        }
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onCancel() {
                try {
                    super.onCancel();
                } finally {
                    gated.finished();
                }
            }

            @Override
            public void onComplete() {
                try {
                    super.onComplete();
                } finally {
                    gated.finished();
                }
            }
        };
    }

    /** A call let in: it leaves the gate once, when it is closed, completed or cancelled, whichever comes first. */
    private static final class GatedCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<GatedCall> DONE =
                AtomicIntegerFieldUpdater.newUpdater(GatedCall.class, "done");

        private final CallGate gate;
        private volatile int done; // a field, not an AtomicBoolean: one object less per call

        GatedCall(ServerCall<Q, R> call, CallGate gate) {
            super(call);
            this.gate = gate;
        }

        @Override
        public void close(Status status, Metadata trailers) {
            try {
                super.close(status, trailers);
            } finally {
                finished();
            }
        }

        void finished() {
            if (DONE.compareAndSet(this, 0, 1)) {
                gate.leave();
            }
        }
    }

    /** From now on every new call is refused {@code UNAVAILABLE} with {@link #DRAINING}. */
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Calls started and not yet finished. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Waits until no call is in flight, at most {@code wait}.
     *
     * @return true when none is left
     */
    public boolean awaitIdle(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (idle) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
            return true;
        }
    }

    private void leave() {
        if (inFlight.decrementAndGet() == 0 && closed) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }
}
