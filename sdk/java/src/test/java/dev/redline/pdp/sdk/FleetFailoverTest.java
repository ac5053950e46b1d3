package dev.redline.pdp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.PdpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One client, several PDP replicas: decisions are spread over all of them, and a replica killed
 * under load costs only the calls that were in flight to it.
 */
class FleetFailoverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CALLERS = 4;

    @TempDir
    Path dir;

    @Test
    void decisionsAreSpreadRoundRobinOverEveryReplica() throws Exception {
        List<PdpServer> replicas = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                replicas.add(RealPdp.start(dir.resolve("replica-" + i)));
            }
            try (PdpClient client = PdpClient.builder()
                    .targets(replicas.stream().map(r -> "127.0.0.1:" + r.port()).toList())
                    .defaultDeadline(Duration.ofSeconds(10)).build()) {
                assertTrue(client.connect(Duration.ofSeconds(30)));
                for (int i = 0; i < 30; i++) {
                    assertTrue(client.decide(SpecExamples.logistics()).allowed());
                }
            }
        } finally {
            replicas.forEach(PdpServer::close);
        }
        for (int i = 0; i < 3; i++) {
            int recorded = decisionIds(dir.resolve("replica-" + i)).size();
            assertTrue(recorded >= 5, "replica " + i + " recorded " + recorded + " of 30 decisions");
        }
    }

    @Test
    void aReplicaKilledUnderLoadFailsClosedOnlyTheCallsInFlightToIt() throws Exception {
        List<PdpProcess> replicas = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        try {
            for (int i = 0; i < 3; i++) {
                replicas.add(PdpProcess.start(dir.resolve("replica-" + i)));
            }
            Set<String> allowed = ConcurrentHashMap.newKeySet();
            AtomicLong decided = new AtomicLong();
            AtomicBoolean killed = new AtomicBoolean();
            List<String> failuresBefore = new CopyOnWriteArrayList<>();
            List<String> failuresAfter = new CopyOnWriteArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            try (PdpClient client = PdpClient.builder()
                    .targets(replicas.stream().map(PdpProcess::address).toList())
                    .defaultDeadline(Duration.ofSeconds(10)).build()) {
                assertTrue(client.connect(Duration.ofSeconds(30)));
                warmUp(client);
                List<Future<?>> load = new ArrayList<>();
                for (int c = 0; c < CALLERS; c++) {
                    load.add(callers.submit(() -> {
                        while (running.get()) {
                            Decision decision = client.decide(SpecExamples.logistics());
                            if (decision.isFailClosed()) {
                                (killed.get() ? failuresAfter : failuresBefore).add(decision.violations().get(0).message());
                            } else {
                                decided.incrementAndGet();
                                if (decision.allowed()) {
                                    allowed.add(decision.decisionId());
                                }
                            }
                        }
                    }));
                }
                Thread.sleep(3000);
                long beforeKill = decided.get();
                killed.set(true);
                replicas.get(1).kill();
                Thread.sleep(5000);
                running.set(false);
                for (Future<?> f : load) {
                    f.get(30, TimeUnit.SECONDS);
                }
                long afterKill = decided.get() - beforeKill;
                System.out.printf("fleet failover: %d decisions, %d after the SIGKILL; failed closed: %d before it %s,"
                        + " %d after it %s%n", decided.get(), afterKill, failuresBefore.size(), failuresBefore,
                        failuresAfter.size(), failuresAfter);
                assertTrue(afterKill > 0, "the other replicas went on deciding");
                long unreachable = failuresAfter.stream().filter(m -> m.contains("unreachable")).count();
                assertTrue(unreachable <= CALLERS, "at most one call per caller can have been in flight to the"
                        + " killed replica, yet " + unreachable + " failed closed as unreachable: " + failuresAfter);
            }
            Set<String> recorded = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                recorded.addAll(decisionIds(dir.resolve("replica-" + i)));
            }
            Set<String> unrecorded = new HashSet<>(allowed);
            unrecorded.removeAll(recorded);
            assertEquals(Set.of(), unrecorded, "allows no replica's log holds");
        } finally {
            callers.shutdownNow();
            for (PdpProcess replica : replicas) {
                replica.close();
            }
        }
    }

    /**
     * Decides until 30 in a row were allowed, so that every replica has compiled the policy before
     * the clock starts; fails with what the PDPs said when that takes over two minutes.
     */
    private static void warmUp(PdpClient client) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        int inARow = 0;
        Decision last = null;
        while (inARow < 30 && System.nanoTime() < deadline) {
            last = client.decide(SpecExamples.logistics());
            inARow = last.allowed() ? inARow + 1 : 0;
        }
        assertEquals(30, inARow, "warming up the replicas; the last answer: " + last);
    }

    /** The decision ids in a replica's decision log, read from its segment files. */
    private static Set<String> decisionIds(Path dataDir) throws IOException {
        Set<String> ids = new HashSet<>();
        try (Stream<Path> files = Files.list(dataDir.resolve("audit"))) {
            for (Path segment : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).toList()) {
                for (String line : Files.readAllLines(segment)) {
                    JsonNode record = JSON.readTree(line);
                    if (record.has("decision_id")) {
                        ids.add(record.get("decision_id").asText());
                    }
                }
            }
        }
        return ids;
    }
}
