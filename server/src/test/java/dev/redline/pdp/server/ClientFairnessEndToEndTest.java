package dev.redline.pdp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.api.v1.DecideBatchRequest;
import dev.redline.pdp.api.v1.DecideBatchResponse;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.server.api.CallerIdentity;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.RunningPdp;
import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A client flooding the PDP with batches spends its own share of the decision threads, and no one
 * else's: past its share it is answered RESOURCE_EXHAUSTED, while another client is still decided.
 * Each client connects from its own loopback address (127.0.0.2, 127.0.0.3), as clients on other
 * hosts would.
 */
class ClientFairnessEndToEndTest {
    private static final int SHARE = 4;
    private static final int BATCH = 16; // more than the share: one batch holds all of it
    private static final int OUTSTANDING = 8;
    private static final Metadata.Key<String> TEST_PRINCIPAL =
            Metadata.Key.of("x-test-principal", Metadata.ASCII_STRING_MARSHALLER);

    /**
     * One decision thread, so the flood and the other client compete for it; a queue timeout long
     * enough that the other client, queued behind a batch of a cold JVM on a busy machine, is
     * refused only by the share, never by the clock (an evaluation timeout likewise): this test is
     * about who is answered, not how fast.
     */
    private static PdpConfig config(int share) {
        return PdpConfig.defaults().withMaxClientConcurrency(share).withInstances(1).withQueueTimeout(Duration.ofSeconds(30))
                .withEvalTimeout(Duration.ofSeconds(10));
    }

    private static ManagedChannel channelFrom(String sourceAddress, int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .localSocketPicker(new NettyChannelBuilder.LocalSocketPicker() {
                    @Override
                    public SocketAddress createSocketAddress(SocketAddress remote, Attributes attrs) {
                        return new InetSocketAddress(sourceAddress, 0);
                    }
                })
                .build();
    }

    private static DecideRequest contractRequest() {
        return DecideRequest.newBuilder().setPath("contract/decision")
                .setInput(ContractCase.named("allowed-logistics").input()).build();
    }

    private static DecideBatchRequest batch() {
        DecideBatchRequest.Builder batch = DecideBatchRequest.newBuilder();
        for (int i = 0; i < BATCH; i++) {
            batch.addRequests(contractRequest());
        }
        return batch.build();
    }

    /** Keeps {@link #OUTSTANDING} batches in flight from one client until stopped; collects its refusals. */
    private static final class Flood implements AutoCloseable {
        final ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger otherFailures = new AtomicInteger();
        final CountDownLatch firstRefusal = new CountDownLatch(1);
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread sender;

        Flood(DecisionServiceGrpc.DecisionServiceStub stub) {
            Semaphore inFlight = new Semaphore(OUTSTANDING);
            DecideBatchRequest request = batch();
            sender = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    stub.withDeadlineAfter(30, TimeUnit.SECONDS).decideBatch(request, new StreamObserver<>() {
                        @Override
                        public void onNext(DecideBatchResponse response) {
                            answered.incrementAndGet();
                        }

                        @Override
                        public void onError(Throwable t) {
                            Status status = Status.fromThrowable(t);
                            if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                                refusals.add(status.getDescription());
                                firstRefusal.countDown();
                            } else {
                                otherFailures.incrementAndGet();
                            }
                            inFlight.release();
                        }

                        @Override
                        public void onCompleted() {
                            inFlight.release();
                        }
                    });
                }
            }, "flooding-client");
            sender.start();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            sender.join(10_000);
        }
    }

    @Test
    void aFloodingClientIsRefusedPastItsShareWhileAnotherClientIsStillDecided() throws Exception {
        try (RunningPdp pdp = RunningPdp.start(config(SHARE))) {
            ManagedChannel flooder = channelFrom("127.0.0.2", pdp.server.port());
            ManagedChannel victim = channelFrom("127.0.0.3", pdp.server.port());
            try (Flood flood = new Flood(DecisionServiceGrpc.newStub(flooder))) {
                assertTrue(flood.firstRefusal.await(60, TimeUnit.SECONDS), "the flooding client was never refused");

                int refusedBefore = flood.refusals.size();
                for (int i = 0; i < 20; i++) {
                    DecideResponse answer = DecisionServiceGrpc.newBlockingStub(victim)
                            .withDeadlineAfter(60, TimeUnit.SECONDS).decide(contractRequest());
                    assertTrue(answer.getAllow(), "the other client's decision " + i);
                }
                assertTrue(flood.refusals.size() > refusedBefore, "the flood was no longer refused");
            } finally {
                flooder.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                victim.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theRefusalNamesTheClientAndTheLimit() throws Exception {
        try (RunningPdp pdp = RunningPdp.start(config(SHARE))) {
            ManagedChannel flooder = channelFrom("127.0.0.2", pdp.server.port());
            try (Flood flood = new Flood(DecisionServiceGrpc.newStub(flooder))) {
                assertTrue(flood.firstRefusal.await(60, TimeUnit.SECONDS), "the flooding client was never refused");

                String refusal = flood.refusals.peek();
                assertTrue(refusal.startsWith("client 127.0.0.2 has "), refusal);
                assertTrue(refusal.endsWith("the limit is " + SHARE + " decisions in flight per client"
                        + " (--max-client-concurrency)"), refusal);
                assertEquals(0, flood.otherFailures.get(), "a batch failed with another status");
            } finally {
                flooder.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void withTheLimitOffAFloodingClientIsNeverRefused() throws Exception {
        try (RunningPdp pdp = RunningPdp.start(config(0))) {
            ManagedChannel flooder = channelFrom("127.0.0.2", pdp.server.port());
            try (Flood flood = new Flood(DecisionServiceGrpc.newStub(flooder))) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (flood.answered.get() < 4 * OUTSTANDING && System.nanoTime() < until) {
                    Thread.sleep(10);
                }
                assertTrue(flood.answered.get() >= 4 * OUTSTANDING, flood.answered.get() + " batches answered");
                assertTrue(flood.refusals.isEmpty(), "refused: " + flood.refusals.peek());
            } finally {
                flooder.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void callsWithAPrincipalCountAgainstThePrincipalNotTheAddress() throws Exception {
        // an authentication interceptor names the principal; here it is read from a header
        ServerInterceptor principals = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                String principal = headers.get(TEST_PRINCIPAL);
                return Contexts.interceptCall(Context.current().withValue(CallerIdentity.PRINCIPAL, principal),
                        call, headers, next);
            }
        };
        try (RunningPdp pdp = RunningPdp.start(config(SHARE),
                builder -> builder.addInterceptor(principals))) {
            ManagedChannel shared = channelFrom("127.0.0.2", pdp.server.port()); // both principals, one address
            Metadata mallory = new Metadata();
            mallory.put(TEST_PRINCIPAL, "mallory");
            Metadata alice = new Metadata();
            alice.put(TEST_PRINCIPAL, "alice");
            try (Flood flood = new Flood(DecisionServiceGrpc.newStub(shared)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(mallory)))) {
                assertTrue(flood.firstRefusal.await(60, TimeUnit.SECONDS), "the flooding principal was never refused");

                for (int i = 0; i < 10; i++) {
                    DecideResponse answer = DecisionServiceGrpc.newBlockingStub(shared)
                            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(alice))
                            .withDeadlineAfter(60, TimeUnit.SECONDS).decide(contractRequest());
                    assertTrue(answer.getAllow(), "alice's decision " + i);
                }
                assertTrue(flood.refusals.peek().startsWith("principal \"mallory\" has "), flood.refusals.peek());
            } catch (StatusRuntimeException e) {
                throw new AssertionError("alice was refused: " + e.getStatus(), e);
            } finally {
                shared.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }
}
