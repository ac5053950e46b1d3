package dev.redline.pdp.server;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.server.engine.WarmupReport;
import dev.redline.pdp.server.engine.WarmupSettling;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Warms the decision port's own code before it opens: the bundle's warm-up inputs sent as
 * {@code Decide} calls over a private loopback port to a decision service that records nothing,
 * through the same transport (Netty, HTTP/2, protobuf), input writer, decision layer and response
 * mapping as a caller's call. The engine's warm-up ({@code engine/Warmup}) warms the policy alone;
 * without this one the JIT went on compiling the transport and the decision layer for the first
 * 30 s of traffic, at 40–47% of the PDP's CPU (bench/PERFORMANCE-WORK.md, issue 12).
 *
 * <p>Nothing here is a decision: the service it calls is built on {@code DecisionLog.OFF}, no
 * caller can reach its port (127.0.0.1, an ephemeral port, closed before the real one opens),
 * and its answers are dropped. A call that fails (a bundle without the default entrypoint) still
 * warms the code it went through, and is not an error.
 */
final class FrontDoorWarmup {
    /** Calls in flight at once, as concurrent callers would send them. */
    static final int IN_FLIGHT = 16;

    private final Duration timeout;
    private final LongSupplier jitMillis;

    FrontDoorWarmup(Duration timeout) {
        this.timeout = timeout;
        this.jitMillis = WarmupSettling.jvmCompilationMillis();
    }

    /**
     * Starts {@code privatePort} (a loopback port serving a decision service that records nothing,
     * with the real port's transport settings and call chain) and sends it rounds of {@code inputs}
     * (each a JSON object, a request's input) until the rounds and the JIT have settled
     * ({@link WarmupSettling}) or the timeout; then stops it.
     */
    WarmupReport run(NettyServerBuilder privatePort, Map<String, byte[]> inputs) throws IOException {
        List<DecideRequest> round = requests(inputs);
        long start = System.nanoTime();
        Server server = privatePort.build().start();
        ManagedChannel channel = NettyChannelBuilder.forAddress(InetAddress.getLoopbackAddress().getHostAddress(),
                server.getPort()).usePlaintext().build();
        long sent = 0;
        boolean settled = false;
        try {
            DecisionServiceGrpc.DecisionServiceFutureStub stub = DecisionServiceGrpc.newFutureStub(channel);
            WarmupSettling settling = new WarmupSettling(start, jitMillis);
            long stopAt = start + timeout.toNanos();
            while (!settled && System.nanoTime() - stopAt < 0) {
                long roundStart = System.nanoTime();
                sent += sendRound(stub, round);
                long roundEnd = System.nanoTime();
                settled = settling.roundEnded(roundEnd - roundStart, roundEnd);
            }
        } finally {
            channel.shutdownNow();
            server.shutdownNow();
            awaitQuietly(channel, server);
        }
        return new WarmupReport(Duration.ofNanos(System.nanoTime() - start), sent, settled);
    }

    private static long sendRound(DecisionServiceGrpc.DecisionServiceFutureStub stub, List<DecideRequest> round) {
        List<Future<?>> inFlight = new ArrayList<>(IN_FLIGHT);
        long sent = 0;
        for (DecideRequest request : round) {
            inFlight.add(stub.withDeadlineAfter(10, TimeUnit.SECONDS).decide(request));
            sent++;
            if (inFlight.size() == IN_FLIGHT) {
                awaitAll(inFlight);
            }
        }
        awaitAll(inFlight);
        return sent;
    }

    private static void awaitAll(List<Future<?>> inFlight) {
        for (Future<?> call : inFlight) {
            try {
                call.get();
            } catch (ExecutionException e) {
                // an error status still ran the code it warms; the answer is dropped either way
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while warming the decision port", e);
            }
        }
        inFlight.clear();
    }

    private static List<DecideRequest> requests(Map<String, byte[]> inputs) throws IOException {
        List<DecideRequest> requests = new ArrayList<>(inputs.size());
        for (Map.Entry<String, byte[]> input : inputs.entrySet()) {
            Struct.Builder struct = Struct.newBuilder();
            try {
                JsonFormat.parser().merge(new String(input.getValue(), StandardCharsets.UTF_8), struct);
            } catch (InvalidProtocolBufferException e) {
                continue; // the engine's warm-up already ran it; an input a Struct cannot carry is skipped here
            }
            requests.add(DecideRequest.newBuilder().setRequestId("warm-up " + input.getKey()).setInput(struct).build());
        }
        if (requests.isEmpty()) {
            requests.add(DecideRequest.newBuilder().setRequestId("warm-up {}").setInput(Struct.getDefaultInstance()).build());
        }
        return requests;
    }

    private static void awaitQuietly(ManagedChannel channel, Server server) {
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
