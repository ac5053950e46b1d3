package dev.redline.pdp.server.api;

import dev.redline.pdp.server.decision.Caller;
import dev.redline.pdp.server.decision.TraceContext;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * Who is calling, as the decision log records it: the peer address, and the principal an
 * authentication interceptor established.
 *
 * <p>An authentication interceptor (added with {@code PdpServer.Builder.addInterceptor}) names
 * the principal by attaching it to the call's context:
 * {@code Contexts.interceptCall(Context.current().withValue(CallerIdentity.PRINCIPAL, name), call, headers, next)}.
 */
public final class CallerIdentity {
    /** The authenticated principal of the current call, when there is one. */
    public static final Context.Key<String> PRINCIPAL = Context.key("pdp-principal");

    /**
     * How {@link #PRINCIPAL} was verified ({@code mtls}, {@code jwt}); with both set, the policy
     * sees them as {@code input.caller}.
     */
    public static final Context.Key<String> METHOD = Context.key("pdp-principal-method");

    /** The W3C trace context header a caller may send with a call. */
    public static final Metadata.Key<String> TRACEPARENT = Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

    private static final Context.Key<SocketAddress> PEER = Context.key("pdp-peer");
    private static final Context.Key<TraceContext> TRACE = Context.key("pdp-trace");
    /**
     * The client key of calls whose transport names no peer (an in-process server): one client,
     * and never equal to a principal.
     */
    private static final Object UNKNOWN_PEER = new Object() {
        @Override
        public String toString() {
            return "a client without an address";
        }
    };

    private CallerIdentity() {}

    /**
     * Puts the remote address of each call, and its trace context when it sent a valid
     * {@code traceparent}, into its context, where {@link #current()} finds them.
     */
    public static ServerInterceptor peerInterceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
                Context context = Context.current().withValue(PEER, peer);
                String traceparent = headers.get(TRACEPARENT);
                if (traceparent != null) {
                    TraceContext trace = TraceContext.parse(traceparent).orElse(null);
                    context = trace == null ? context : context.withValue(TRACE, trace);
                }
                return Contexts.interceptCall(context, call, headers, next);
            }
        };
    }

    /**
     * Verifies who calls: a bearer JWT when {@code jwt} is configured, else the client
     * certificate of an mTLS connection, into {@link #PRINCIPAL} and {@link #METHOD}.
     */
    public static ServerInterceptor authentication(Optional<dev.redline.pdp.server.identity.JwtVerifier> jwt) {
        return new CallerAuthentication(jwt);
    }

    /** The caller of the call being handled. */
    static Caller current() {
        SocketAddress peer = PEER.get();
        Optional<String> principal = Optional.ofNullable(PRINCIPAL.get()).filter(p -> !p.isEmpty());
        return new Caller(Optional.ofNullable(peer).map(CallerIdentity::address), principal,
                principal.flatMap(p -> Optional.ofNullable(METHOD.get())).filter(m -> !m.isEmpty()),
                Optional.ofNullable(TRACE.get()));
    }

    /**
     * Who the current call's decisions count against ({@link ClientShares}): its principal when
     * there is one, else its peer's IP address without the port, so that a client opening more
     * connections gets no more share. Never a new object: the principal string and the address
     * are the ones the call already holds, so counting allocates nothing.
     */
    static Object clientKey() {
        String principal = PRINCIPAL.get();
        if (principal != null && !principal.isEmpty()) {
            return principal;
        }
        SocketAddress peer = PEER.get();
        if (peer instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress();
        }
        return peer == null ? UNKNOWN_PEER : peer;
    }

    private static String address(SocketAddress peer) {
        if (peer instanceof InetSocketAddress inet) {
            String host = inet.getHostString();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return peer.toString();
    }
}
