package dev.redline.pdp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.server.audit.shipping.KafkaShipper;
import dev.redline.pdp.server.audit.shipping.ShippedMessage;
import dev.redline.pdp.server.audit.shipping.ShippingSettings;
import dev.redline.pdp.server.audit.shipping.ShippingSettings.Mode;
import dev.redline.pdp.server.audit.shipping.TopicChains;
import dev.redline.pdp.server.audit.shipping.TopicVerifier;
import dev.redline.pdp.server.audit.shipping.TopicVerifier.ChainReport;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.RunningPdp;
import dev.redline.pdp.testkit.kafka.KafkaCluster;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real PDP shipping its decision log to real brokers (child JVMs) while it answers decisions:
 * nothing answered is missing from the topic after a broker dies and comes back, the replicated
 * mode refuses decisions while Kafka cannot acknowledge them, and a three-broker cluster losing one
 * broker goes on acknowledging.
 */
class KafkaShippingEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int CALLERS = 3;

    @TempDir
    Path dir;

    @Test
    void aBrokerKilledAndRestartedUnderLoadLosesNoAnsweredDecision() throws Exception {
        try (KafkaCluster kafka = KafkaCluster.start(dir.resolve("kafka"), 1)) {
            kafka.createTopic("decisions");
            try (RunningPdp pdp = start(kafka, Mode.LOCAL, Duration.ofSeconds(2)); Load load = new Load(pdp)) {
                KafkaShipper shipper = pdp.server.shipping().orElseThrow();
                load.run(Duration.ofSeconds(3));
                kafka.node(0).kill();
                load.run(Duration.ofSeconds(5)); // answered on local durability; the lag grows
                long lagWhileDown = shipper.lag();
                kafka.node(0).restart();
                kafka.awaitBrokers(1);
                load.run(Duration.ofSeconds(3));
                load.stop();
                awaitShipped(pdp);
                System.out.printf("broker restart: %d decisions answered (%d while the broker was down), lag while"
                        + " down %d records, most lag seen %d, failed %s%n", load.answered.size(), lagWhileDown,
                        lagWhileDown, load.maxLag.get(), load.failures);
                assertTrue(lagWhileDown > 0, "decisions were answered while the broker was down");
                assertEquals(List.of(), load.failures.stream().filter(f -> f.contains("UNAVAILABLE")).toList(),
                        "in local mode a broker outage refuses no decision");
                assertEverythingAnsweredIsInTheTopic(kafka, pdp, load.answered);
            }
        }
    }

    @Test
    void inReplicatedModeDecisionsFailClosedWhileKafkaIsDownAndResumeAfter() throws Exception {
        try (KafkaCluster kafka = KafkaCluster.start(dir.resolve("kafka"), 1)) {
            kafka.createTopic("decisions");
            try (RunningPdp pdp = start(kafka, Mode.REPLICATED, Duration.ofSeconds(1))) {
                String before = decideOnceKafkaAcknowledges(pdp, "before"); // the producer connects first
                kafka.node(0).kill();

                StatusRuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(
                        StatusRuntimeException.class, () -> pdp.decisions().decide(request("while-down")));
                assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
                assertTrue(refused.getStatus().getDescription().contains("Kafka did not acknowledge it within"),
                        refused.getStatus().getDescription());

                kafka.node(0).restart();
                kafka.awaitBrokers(1);
                String after = decideOnceKafkaAcknowledges(pdp, "after");
                awaitShipped(pdp);
                assertEverythingAnsweredIsInTheTopic(kafka, pdp, Set.of(before, after));
            }
        }
    }

    @Test
    void aThreeBrokerClusterLosingOneBrokerGoesOnAcknowledgingInReplicatedMode() throws Exception {
        try (KafkaCluster kafka = KafkaCluster.start(dir.resolve("kafka"), 3)) {
            kafka.createTopic("decisions");
            try (RunningPdp pdp = start(kafka, Mode.REPLICATED, Duration.ofSeconds(10)); Load load = new Load(pdp)) {
                load.run(Duration.ofSeconds(3));
                kafka.node(partitionLeader(kafka)).kill();
                load.run(Duration.ofSeconds(6));
                load.stop();
                System.out.printf("three brokers, leader killed: %d decisions answered, failed %s%n",
                        load.answered.size(), load.failures);
                assertTrue(load.failures.size() <= CALLERS, "only calls waiting while the leader moved may fail: "
                        + load.failures);
                awaitShipped(pdp);
                assertEverythingAnsweredIsInTheTopic(kafka, pdp, load.answered);
            }
        }
    }

    @Test
    void theShippingLagIsServedAsAMetric() throws Exception {
        try (KafkaCluster kafka = KafkaCluster.start(dir.resolve("kafka"), 1)) {
            kafka.createTopic("decisions");
            try (RunningPdp pdp = RunningPdp.start(config(kafka, Mode.LOCAL, Duration.ofSeconds(2)).withMetricsPort(0))) {
                pdp.decisions().decide(request("before"));
                awaitShipped(pdp);
                assertEquals(0, scrape(pdp, "pdp_decision_log_shipping_lag_records"));
                kafka.node(0).kill();
                for (int i = 0; i < 5; i++) {
                    pdp.decisions().decide(request("while-down-" + i));
                }

                assertEquals(5, scrape(pdp, "pdp_decision_log_shipping_lag_records"),
                        "five records durable locally that no broker could acknowledge");

                kafka.node(0).restart();
                kafka.awaitBrokers(1);
                awaitShipped(pdp);
                assertEquals(0, scrape(pdp, "pdp_decision_log_shipping_lag_records"));
                assertEquals(1, scrape(pdp, "pdp_decision_log_shipping_acknowledging"));
            }
        }
    }

    // ---- helpers

    private RunningPdp start(KafkaCluster kafka, Mode mode, Duration ackTimeout) throws IOException {
        return RunningPdp.start(config(kafka, mode, ackTimeout));
    }

    private PdpConfig config(KafkaCluster kafka, Mode mode, Duration ackTimeout) {
        return PdpConfig.defaults().withDataDir(dir.resolve("pdp")).withEvalTimeout(Duration.ofSeconds(10))
                .withQueueTimeout(Duration.ofSeconds(5))
                .withShipping(new ShippingSettings(kafka.bootstrapServers(), "decisions", mode, ackTimeout));
    }

    /** The value of one unlabelled gauge in a scrape of the PDP's {@code /metrics}. */
    private static double scrape(RunningPdp pdp, String gauge) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + pdp.server.metricsPort().orElseThrow() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body().lines().filter(line -> line.startsWith(gauge + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(gauge.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError(gauge + " is not in the scrape:\n" + response.body()));
    }

    private static DecideRequest request(String requestId) {
        return DecideRequest.newBuilder().setRequestId(requestId)
                .setInput(ContractCase.named("allowed-logistics").input()).build();
    }

    private static String decideOnceKafkaAcknowledges(RunningPdp pdp, String requestId) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return pdp.decisions().decide(request(requestId)).getDecisionId();
            } catch (StatusRuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static void awaitShipped(RunningPdp pdp) throws InterruptedException {
        KafkaShipper shipper = pdp.server.shipping().orElseThrow();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (shipper.lag() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, shipper.lag(), "shipped within " + WAIT + "; " + shipper.failure());
    }

    private static int partitionLeader(KafkaCluster kafka) throws Exception {
        try (var admin = kafka.admin()) {
            return admin.describeTopics(List.of("decisions")).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get("decisions").partitions().get(0).leader().id();
        }
    }

    /** The topic verifies, and holds a record of every decision id a caller was answered with. */
    private static void assertEverythingAnsweredIsInTheTopic(KafkaCluster kafka, RunningPdp pdp, Set<String> answered)
            throws IOException {
        List<ChainReport> chains = new TopicVerifier(List.of(pdp.server.audit().orElseThrow().key()))
                .verify(kafka.bootstrapServers(), "decisions", WAIT);
        assertEquals(1, chains.size());
        assertTrue(chains.get(0).ok(), chains.get(0).report().problem().map(Object::toString).orElse(""));
        Set<String> shipped = new HashSet<>();
        TopicChains.forEach(kafka.bootstrapServers(), "decisions", WAIT, message -> {
            if (ShippedMessage.RECORD.equals(message.kind())) {
                try {
                    JsonNode record = JSON.readTree(message.value());
                    shipped.add(record.path("decision_id").asText());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        Set<String> lost = new HashSet<>(answered);
        lost.removeAll(shipped);
        System.out.printf("answered %d, in the topic %d, lost %d%n", answered.size(), shipped.size(), lost.size());
        assertEquals(Set.of(), lost, "answered decisions missing from the topic");
    }

    /** Callers deciding in a loop, recording every decision id they were answered with. */
    private static final class Load implements AutoCloseable {
        final Set<String> answered = ConcurrentHashMap.newKeySet();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final AtomicLong maxLag = new AtomicLong();
        private final RunningPdp pdp;
        private final ExecutorService callers = Executors.newFixedThreadPool(CALLERS + 1);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Future<?>> work = new ArrayList<>();

        Load(RunningPdp pdp) {
            this.pdp = pdp;
            for (int i = 0; i < CALLERS; i++) {
                work.add(callers.submit(() -> {
                    while (running.get()) {
                        try {
                            answered.add(pdp.decisions().decide(request("load")).getDecisionId());
                        } catch (StatusRuntimeException e) {
                            failures.add(e.getStatus().toString());
                        }
                    }
                }));
            }
            KafkaShipper shipper = pdp.server.shipping().orElseThrow();
            work.add(callers.submit(() -> {
                while (running.get()) {
                    maxLag.accumulateAndGet(shipper.lag(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }

        void run(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
        }

        void stop() throws Exception {
            running.set(false);
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }
        }

        @Override
        public void close() {
            running.set(false);
            callers.shutdownNow();
        }
    }
}
