package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.AdminCalls;
import dev.redline.pdp.server.harness.ChildPdp;
import dev.redline.pdp.server.harness.OpaBundles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at any moment of a push or an activation leaves the old or the new revision active and
 * the store readable: the restarted PDP serves a complete revision.
 */
class BundleCrashSafetyTest {
    private static final int ROUNDS = 4;

    @TempDir
    static Path bundles;

    private static Path a;
    private static Path b;

    @BeforeAll
    static void build() throws Exception {
        a = revision("A");
        b = revision("B");
    }

    private static Path revision(String name) throws Exception {
        // Padding data makes each push and store write take long enough to be killed midway.
        StringBuilder padding = new StringBuilder("{\"pad\": [");
        for (int i = 0; i < 20_000; i++) {
            padding.append(i == 0 ? "" : ",").append('"').append(name).append(i).append('"');
        }
        padding.append("]}");
        Path dir = Files.createDirectories(bundles.resolve(name));
        Files.createDirectories(dir.resolve("src/pad"));
        Files.writeString(dir.resolve("src/pad/data.json"), padding);
        return OpaBundles.buildRevision(dir,
                Map.of("rev.rego", "package rev\n\ndecision := {\"allow\": true, \"rev\": \"rev-" + name + "\"}\n"),
                "rev-" + name, "rev/decision");
    }

    @Test
    void killDuringPushesLeavesACompleteRevisionActive(@TempDir Path dataDir) throws Exception {
        crashRepeatedly(dataDir, (admin, i) -> admin.push(i % 2 == 0 ? a : b, true));
    }

    @Test
    void killDuringActivationsLeavesACompleteRevisionActive(@TempDir Path dataDir) throws Exception {
        try (ChildPdp first = ChildPdp.start(dataDir);
                AdminCalls admin = new AdminCalls(first.adminPort, AdminCalls.firstToken(dataDir.resolve("admin.tokens")))) {
            admin.push(a, true);
            admin.push(b, false);
        }
        String digestA = digestOf(dataDir, "rev-A");
        String digestB = digestOf(dataDir, "rev-B");
        crashRepeatedly(dataDir, (admin, i) -> admin.activate(i % 2 == 0 ? digestB : digestA));
    }

    private interface Change {
        void apply(AdminCalls admin, int i) throws Exception;
    }

    private void crashRepeatedly(Path dataDir, Change change) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            ChildPdp pdp = ChildPdp.start(dataDir);
            Thread changer = new Thread(() -> {
                try (AdminCalls admin = new AdminCalls(pdp.adminPort, AdminCalls.firstToken(dataDir.resolve("admin.tokens")))) {
                    for (int i = 0; ; i++) {
                        change.apply(admin, i);
                    }
                } catch (Exception expected) {
                    // The server died under it: that is the point.
                }
            });
            changer.start();
            Thread.sleep(ThreadLocalRandom.current().nextLong(300, 1500));
            pdp.kill();
            changer.join(30_000);

            try (ChildPdp restarted = ChildPdp.start(dataDir)) {
                String revision = restarted.startLine.path("bundle").path("revision").asText();
                assertTrue(Set.of("rev-A", "rev-B").contains(revision) || revision.startsWith("sha256:"),
                        "round " + round + " restarted on " + restarted.startLine);
                if (!revision.startsWith("sha256:")) {
                    assertEquals(revision, decideRevision(restarted.port), "round " + round);
                }
                try (AdminCalls admin = new AdminCalls(restarted.adminPort, AdminCalls.firstToken(dataDir.resolve("admin.tokens")))) {
                    assertEquals(restarted.startLine.path("bundle").path("digest").asText(),
                            admin.status().getActive().getDigest());
                    assertTrue(admin.list().size() >= 1);
                }
            }
            try (Stream<Path> leftovers = Files.walk(dataDir)) {
                // Leftovers of the killed write are removed when the store opens again.
                assertEquals(0, leftovers.filter(p -> p.toString().endsWith(".tmp")).count(), "round " + round);
            }
        }
    }

    private static String decideRevision(int port) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            DecideResponse r = DecisionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .decide(DecideRequest.newBuilder().setPath("rev/decision").setInput(Struct.getDefaultInstance()).build());
            assertEquals(r.getBundle().getRevision(), r.getResult().getStructValue().getFieldsOrThrow("rev").getStringValue());
            return r.getBundle().getRevision();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static String digestOf(Path dataDir, String revision) throws Exception {
        try (Stream<Path> records = Files.list(dataDir.resolve("bundles"))) {
            for (Path record : records.filter(p -> p.toString().endsWith(".json")).toList()) {
                if (Files.readString(record).contains("\"revision\":\"" + revision + "\"")) {
                    return "sha256:" + record.getFileName().toString().replace(".json", "");
                }
            }
        }
        throw new IllegalStateException("no stored bundle with revision " + revision);
    }
}
