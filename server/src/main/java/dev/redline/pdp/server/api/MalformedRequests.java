package dev.redline.pdp.server.api;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Answers a request whose bytes are not a valid message of its method (garbage, invalid UTF-8 in a
 * string, nesting past protobuf's recursion limit) with INVALID_ARGUMENT and a short message.
 *
 * <p>Left to gRPC, the marshaller's parse failure escapes as an application error: UNKNOWN to the
 * client and a full stack trace in the server's log for every such request, a flood any
 * unauthenticated client could cause. So the service takes its requests as raw streams
 * ({@link ServerInterceptors#useInputStreamMessages}), which moves the parse into the listener's
 * {@code onMessage}, where this guard catches it. Failures are logged as counted one-liners, at most
 * one line per interval.
 */
public final class MalformedRequests implements ServerInterceptor {
    private static final Logger LOG = Logger.getLogger(MalformedRequests.class.getName());
    private static final long LOG_INTERVAL_MILLIS = 10_000;

    private final Clock clock;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong refusedAtLastLine = new AtomicLong();
    private final AtomicLong lastLineMillis = new AtomicLong(Long.MIN_VALUE);

    public MalformedRequests(Clock clock) {
        this.clock = clock;
    }

    /** {@code service}, parsing its requests where a malformed one is answered INVALID_ARGUMENT. */
    public ServerServiceDefinition guard(ServerServiceDefinition service) {
        return ServerInterceptors.intercept(ServerInterceptors.useInputStreamMessages(service), this);
    }

    /** How many requests were refused as malformed since the server started. */
    public long refused() {
        return refused.get();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        ServerCall.Listener<Q> delegate = next.startCall(call, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            private boolean closed;

            @Override
            public void onMessage(Q message) {
                if (closed) {
                    return;
                }
                try {
                    super.onMessage(message);
                } catch (StatusRuntimeException e) {
                    if (!(message instanceof InputStream) || e.getStatus().getCode() != Status.Code.INTERNAL) {
                        throw e;
                    }
                    closed = true;
                    String reason = e.getCause() == null ? e.getStatus().getDescription() : e.getCause().getMessage();
                    note(call.getMethodDescriptor().getFullMethodName(), reason);
                    call.close(Status.INVALID_ARGUMENT.withDescription("the request is not a valid "
                            + call.getMethodDescriptor().getFullMethodName() + " message: " + shortened(reason)),
                            new Metadata());
                }
            }

            @Override
            public void onHalfClose() {
                if (!closed) {
                    super.onHalfClose();
                }
            }

            @Override
            public void onReady() {
                if (!closed) {
                    super.onReady();
                }
            }
        };
    }

    private void note(String method, String reason) {
        long count = refused.incrementAndGet();
        long now = clock.millis();
        long last = lastLineMillis.get();
        if ((last == Long.MIN_VALUE || now - last >= LOG_INTERVAL_MILLIS) && lastLineMillis.compareAndSet(last, now)) {
            long since = count - refusedAtLastLine.getAndSet(count);
            LOG.warning(() -> "refused " + since + " malformed request(s) (" + count + " since start); latest to "
                    + method + ": " + shortened(reason));
        }
    }

    private static String shortened(String reason) {
        String text = reason == null ? "unreadable message" : reason.replace('\n', ' ');
        return text.length() <= 160 ? text : text.substring(0, 160) + "...";
    }
}
