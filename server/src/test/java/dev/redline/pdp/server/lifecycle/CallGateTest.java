package dev.redline.pdp.server.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gate in front of a real gRPC service on a loopback port: the standard health service, whose
 * Watch is a call that stays in flight until its caller cancels it.
 */
class CallGateTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    private final CallGate gate = new CallGate();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        HealthStatusManager health = new HealthStatusManager();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(health.getHealthService(), gate))
                .build()
                .start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aFinishedCallIsNoLongerInFlight() throws Exception {
        check();

        assertTrue(gate.awaitIdle(LONG));
        assertEquals(0, gate.inFlight());
    }

    @Test
    void aCallIsInFlightUntilItsCallerCancelsIt() throws Exception {
        Context.CancellableContext watching = watch();

        assertEquals(1, gate.inFlight());
        watching.cancel(null);
        gate.close();
        assertTrue(gate.awaitIdle(LONG), "the cancelled call left the gate");
    }

    @Test
    void onceClosedANewCallIsRefusedUnavailableSayingThePdpIsDraining() {
        gate.close();

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, this::check);

        assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
        assertEquals(CallGate.DRAINING, refused.getStatus().getDescription());
        assertEquals(0, gate.inFlight(), "a refused call is not in flight");
    }

    @Test
    void aCallLetInBeforeTheCloseKeepsTheGateBusyUntilItEnds() throws Exception {
        Context.CancellableContext watching = watch();
        gate.close();

        assertFalse(gate.awaitIdle(Duration.ofMillis(50)), "the call let in is still in flight");
        assertThrows(StatusRuntimeException.class, this::check);
        watching.cancel(null);
        assertTrue(gate.awaitIdle(LONG));
    }

    private HealthCheckResponse check() {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance());
    }

    /** Starts a health Watch and returns once its first answer came: the call is in flight. */
    private Context.CancellableContext watch() throws InterruptedException {
        CountDownLatch answered = new CountDownLatch(1);
        Context.CancellableContext context = Context.current().withCancellation();
        context.run(() -> HealthGrpc.newStub(channel).watch(HealthCheckRequest.getDefaultInstance(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(HealthCheckResponse value) {
                        answered.countDown();
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {}
                }));
        assertTrue(answered.await(30, TimeUnit.SECONDS), "the watch was answered");
        return context;
    }
}
