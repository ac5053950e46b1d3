package dev.redline.pdp.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.redline.pdp.api.v1.DecideBatchRequest;
import dev.redline.pdp.api.v1.DecideBatchResponse;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import io.grpc.Attributes;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The latency one well-behaved client sees while two others flood the PDP with large batches
 * (issue 10, item 7). Each client connects from its own loopback address (127.0.0.2 and 127.0.0.3
 * abuse, 127.0.0.4 is the victim), as clients on separate hosts would, so a per-client limit
 * keyed by address tells them apart. The victim sends one contract decision at a time; its
 * latencies after the warm-up are the figure. Prints one JSON object.
 *
 * <pre>java -cp bench/target/pdp-bench.jar dev.redline.pdp.bench.VictimLatency 127.0.0.1:PORT
 *     [SECONDS [WARMUP_SECONDS [BATCH_BYTES [OUTSTANDING]]]]</pre>
 *
 * bench/victim.sh starts the servers (limit off, then on) and runs this against each.
 */
public final class VictimLatency {
    private static final String CASE = "allowed-logistics";
    /** The PDP's default most requests in one batch. */
    private static final int BATCH_ITEMS = 128;

    private VictimLatency() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: VictimLatency HOST:PORT [SECONDS [WARMUP_SECONDS [BATCH_BYTES [OUTSTANDING]]]]");
            System.exit(2);
        }
        String[] target = args[0].split(":");
        String host = target[0];
        int port = Integer.parseInt(target[1]);
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int warmupSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int batchBytes = args.length > 3 ? Integer.parseInt(args[3]) : 1 << 20;
        int outstanding = args.length > 4 ? Integer.parseInt(args[4]) : 4;

        DecideBatchRequest bigBatch = bigBatch(batchBytes);
        DecideRequest single = DecideRequest.newBuilder().setRequestId("victim").setPath(ContractCases.CONTRACT_PATH)
                .setInputJson(new String(ContractCases.inputJson(CASE), java.nio.charset.StandardCharsets.UTF_8))
                .build();
        ManagedChannel abuserA = channelFrom("127.0.0.2", host, port);
        ManagedChannel abuserB = channelFrom("127.0.0.3", host, port);
        ManagedChannel victim = channelFrom("127.0.0.4", host, port);
        AtomicBoolean stop = new AtomicBoolean();
        Flood floodA = new Flood(DecisionServiceGrpc.newStub(abuserA), bigBatch, outstanding, stop);
        Flood floodB = new Flood(DecisionServiceGrpc.newStub(abuserB), bigBatch, outstanding, stop);
        floodA.start();
        floodB.start();
        long[] latencies = new long[1 << 20];
        int measured = 0;
        int victimErrors = 0;
        String lastVictimError = "";
        try {
            var stub = DecisionServiceGrpc.newBlockingStub(victim);
            long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
            long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
            boolean counting = false;
            while (System.nanoTime() < end && measured < latencies.length) {
                long sent = System.nanoTime();
                boolean warm = sent >= warmEnd;
                if (warm && !counting) {
                    counting = true; // the abusers' counts, like the victim's, cover the measured time only
                    floodA.reset();
                    floodB.reset();
                }
                try {
                    stub.withDeadlineAfter(10, TimeUnit.SECONDS).decide(single);
                    if (warm) {
                        latencies[measured++] = System.nanoTime() - sent;
                    }
                } catch (StatusRuntimeException e) {
                    if (warm) {
                        victimErrors++;
                        lastVictimError = e.getStatus().toString();
                    }
                }
            }
        } finally {
            stop.set(true);
            floodA.join();
            floodB.join();
            for (ManagedChannel channel : new ManagedChannel[] {abuserA, abuserB, victim}) {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
        long[] sorted = Arrays.copyOf(latencies, measured);
        Arrays.sort(sorted);
        ObjectNode result = new ObjectMapper().createObjectNode();
        result.put("seconds", seconds);
        result.put("batch_items", BATCH_ITEMS);
        result.put("batch_bytes", bigBatch.getSerializedSize());
        result.put("outstanding_per_abuser", outstanding);
        result.put("victim_decisions", measured);
        result.put("victim_errors", victimErrors);
        result.put("victim_last_error", lastVictimError);
        result.put("victim_p50_ms", millis(percentile(sorted, 0.50)));
        result.put("victim_p99_ms", millis(percentile(sorted, 0.99)));
        result.put("abuser_batches_answered", floodA.answered.sum() + floodB.answered.sum());
        result.put("abuser_batches_refused_by_share", floodA.refused.sum() + floodB.refused.sum());
        result.put("abuser_batches_failed_otherwise", floodA.failed.sum() + floodB.failed.sum());
        System.out.println(result);
    }

    /** {@link #BATCH_ITEMS} contract decisions, each input padded so the batch is about {@code bytes} long. */
    private static DecideBatchRequest bigBatch(int bytes) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode input = (ObjectNode) json.readTree(ContractCases.inputJson(CASE));
        int pad = Math.max(0, bytes / BATCH_ITEMS - input.toString().length() - 64);
        input.put("pad", "p".repeat(pad));
        DecideRequest item = DecideRequest.newBuilder().setRequestId("abuse").setPath(ContractCases.CONTRACT_PATH)
                .setInputJson(json.writeValueAsString(input)).build();
        DecideBatchRequest.Builder batch = DecideBatchRequest.newBuilder();
        for (int i = 0; i < BATCH_ITEMS; i++) {
            batch.addRequests(item);
        }
        return batch.build();
    }

    private static ManagedChannel channelFrom(String source, String host, int port) {
        return NettyChannelBuilder.forAddress(host, port).usePlaintext()
                .maxInboundMessageSize(64 << 20)
                .localSocketPicker(new NettyChannelBuilder.LocalSocketPicker() {
                    @Override
                    public SocketAddress createSocketAddress(SocketAddress remote, Attributes attrs) {
                        return new InetSocketAddress(source, 0);
                    }
                })
                .build();
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p * sorted.length); // nearest rank
        return sorted[Math.max(0, rank - 1)];
    }

    private static double millis(long nanos) {
        return nanos < 0 ? -1 : Double.parseDouble(String.format(Locale.ROOT, "%.3f", nanos / 1e6));
    }

    /** One abusive client: keeps {@code outstanding} batches in flight, re-sending as each is answered. */
    private static final class Flood extends Thread {
        final LongAdder answered = new LongAdder();
        final LongAdder refused = new LongAdder();
        final LongAdder failed = new LongAdder();
        private final DecisionServiceGrpc.DecisionServiceStub stub;
        private final DecideBatchRequest batch;
        private final Semaphore inFlight;
        private final AtomicBoolean stop;

        Flood(DecisionServiceGrpc.DecisionServiceStub stub, DecideBatchRequest batch, int outstanding, AtomicBoolean stop) {
            super("abuser");
            setDaemon(true);
            this.stub = stub;
            this.batch = batch;
            this.inFlight = new Semaphore(outstanding);
            this.stop = stop;
        }

        void reset() {
            answered.reset();
            refused.reset();
            failed.reset();
        }

        @Override
        public void run() {
            while (!stop.get()) {
                try {
                    if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                stub.withDeadlineAfter(30, TimeUnit.SECONDS).decideBatch(batch, new StreamObserver<>() {
                    @Override
                    public void onNext(DecideBatchResponse response) {
                        answered.increment();
                    }

                    @Override
                    public void onError(Throwable t) {
                        Status status = Status.fromThrowable(t);
                        if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED && status.getDescription() != null
                                && status.getDescription().contains("--max-client-concurrency")) {
                            refused.increment();
                        } else {
                            failed.increment();
                        }
                        inFlight.release();
                    }

                    @Override
                    public void onCompleted() {
                        inFlight.release();
                    }
                });
            }
        }
    }
}
