package dev.redline.pdp.server.api;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;

/**
 * When each call arrived, as {@link System#nanoTime()}, so that the time a decision spends queued
 * for a thread counts against the engine's queue timeout like the time it spends waiting for a
 * policy instance.
 *
 * <p>A stream tracer, because gRPC creates it on the transport thread as the call's headers
 * arrive, before the call is handed to an executor; an interceptor would run only once the call
 * has left the queue.
 */
public final class CallArrival extends ServerStreamTracer.Factory {
    private static final Context.Key<Long> ARRIVED = Context.key("pdp-arrived-nanos");

    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        long arrived = System.nanoTime();
        return new ServerStreamTracer() {
            @Override
            public Context filterContext(Context context) {
                return context.withValue(ARRIVED, arrived);
            }
        };
    }

    /** When the current call arrived; now when it was not stamped (e.g. an in-process server without the tracer). */
    static long current() {
        Long arrived = ARRIVED.get();
        return arrived == null ? System.nanoTime() : arrived;
    }
}
