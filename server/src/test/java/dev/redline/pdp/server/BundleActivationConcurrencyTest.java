package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.AdminCalls;
import dev.redline.pdp.server.harness.OpaBundles;
import dev.redline.pdp.server.harness.RunningPdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.server.config.PdpConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundles switch atomically: no decision fails or sees a mix while activations repeat. */
class BundleActivationConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void decisionsFromManyThreadsDuringRepeatedActivationsNeverFailAndEachReportsTheRevisionThatDecided()
            throws Exception {
        Path a = OpaBundles.buildRevision(Files.createDirectories(dir.resolve("a")),
                Map.of("rev.rego", "package rev\n\ndecision := {\"allow\": true, \"rev\": \"rev-A\"}\n"), "rev-A", "rev/decision");
        Path b = OpaBundles.buildRevision(Files.createDirectories(dir.resolve("b")),
                Map.of("rev.rego", "package rev\n\ndecision := {\"allow\": true, \"rev\": \"rev-B\"}\n"), "rev-B", "rev/decision");
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        try (RunningPdp pdp = RunningPdp.start(PdpConfig.defaults().withDataDir(dataDir));
                AdminCalls admin = AdminCalls.forPdp(pdp.server, dataDir)) {
            String digestA = admin.push(a, true).getBundle().getDigest();
            String digestB = admin.push(b, false).getBundle().getDigest();

            List<Throwable> failures = new CopyOnWriteArrayList<>();
            Set<String> seen = ConcurrentHashMap.newKeySet();
            AtomicInteger decided = new AtomicInteger();
            ExecutorService threads = Executors.newFixedThreadPool(6);
            try {
                List<Future<?>> workers = new java.util.ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    workers.add(threads.submit(() -> {
                        for (int i = 0; i < 400; i++) {
                            try {
                                DecideResponse r = pdp.decisions().decide(DecideRequest.newBuilder()
                                        .setPath("rev/decision").setInput(Struct.getDefaultInstance()).build());
                                String revision = r.getBundle().getRevision();
                                String fromResult = r.getResult().getStructValue().getFieldsOrThrow("rev").getStringValue();
                                if (!revision.equals(fromResult)) {
                                    failures.add(new AssertionError("response says " + revision + " but " + fromResult + " decided"));
                                }
                                seen.add(revision);
                                decided.incrementAndGet();
                            } catch (RuntimeException e) {
                                failures.add(e);
                            }
                        }
                    }));
                }
                for (int switchNo = 0; switchNo < 10; switchNo++) {
                    admin.activate(switchNo % 2 == 0 ? digestB : digestA);
                }
                for (Future<?> worker : workers) {
                    worker.get();
                }
            } finally {
                threads.shutdownNow();
            }

            assertEquals(List.of(), failures);
            assertEquals(2400, decided.get());
            assertTrue(seen.containsAll(Set.of("rev-A", "rev-B")), "revisions seen: " + seen);
        }
    }
}
