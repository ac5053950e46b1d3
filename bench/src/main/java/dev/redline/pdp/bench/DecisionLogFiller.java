package dev.redline.pdp.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.sdk.Decision;
import dev.redline.pdp.sdk.PdpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Fills a PDP's decision log for bench/replay.sh: asks a running PDP the contract cases round-robin
 * through the SDK until at least COUNT decisions are answered (each answered one is logged), so the
 * log holds real records written by the real recorder.
 *
 * <pre>java -cp bench/target/pdp-bench.jar dev.redline.pdp.bench.DecisionLogFiller HOST:PORT CASES_DIR COUNT THREADS</pre>
 */
public final class DecisionLogFiller {
    private DecisionLogFiller() {}

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: DecisionLogFiller HOST:PORT CONTRACT_CASES_DIR COUNT THREADS");
            System.exit(2);
        }
        ObjectMapper json = new ObjectMapper();
        List<Map<String, Object>> inputs = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(args[1]))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                inputs.add(json.convertValue(json.readTree(file.toFile()).get("input"), Map.class));
            }
        }
        long count = Long.parseLong(args[2]);
        int threads = Integer.parseInt(args[3]);
        AtomicLong next = new AtomicLong();
        AtomicLong logged = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        try (PdpClient pdp = PdpClient.builder().target(args[0]).plaintext().defaultDeadline(Duration.ofSeconds(30))
                .build()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    // an answer that failed closed (e.g. shed under load) was not logged: ask again
                    while (logged.get() < count) {
                        long i = next.getAndIncrement();
                        Decision decision = pdp.decide(ContractCases.CONTRACT_PATH, inputs.get((int) (i % inputs.size())));
                        if (decision.isFailClosed()) {
                            failed.incrementAndGet();
                        } else {
                            logged.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            pool.shutdown();
        }
        long millis = Math.max(1, (System.nanoTime() - start) / 1_000_000);
        System.out.println("decision log filler: " + logged.get() + " decisions logged in " + millis + " ms ("
                + failed.get() + " failed closed and asked again)");
    }
}
