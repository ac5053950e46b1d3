package dev.redline.pdp.server.audit.shipping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.server.audit.chain.AuditKey;
import dev.redline.pdp.server.audit.chain.AuditLog;
import dev.redline.pdp.server.audit.AuditSettings;
import dev.redline.pdp.server.audit.chain.PreparedRecord;
import dev.redline.pdp.server.audit.chain.Tampering;
import dev.redline.pdp.server.audit.shipping.ShippingSettings.Mode;
import dev.redline.pdp.server.audit.shipping.TopicVerifier.ChainReport;
import dev.redline.pdp.testkit.kafka.KafkaCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipper against one real broker: every record and sealed digest of a real log arrives in the
 * topic under the replica's chain id, resumes where it stood, and the topic verifies as the
 * directory does — a forged message is named with its offset.
 */
class KafkaShippingTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final AtomicInteger TOPICS = new AtomicInteger();

    @TempDir
    static Path kafkaDir;

    private static KafkaCluster kafka;

    @TempDir
    Path logDir;

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private int made;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = KafkaCluster.start(kafkaDir, 1);
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyRecordAndSealedDigestArrivesAndTheTopicVerifies() throws Exception {
        String topic = newTopic();
        try (AuditLog log = openLog(); KafkaShipper shipper = ship(log, topic)) {
            appendDecisions(log, 40);
            awaitShipped(shipper, log);

            ChainReport chain = onlyChain(verify(topic, log));
            assertTrue(chain.ok(), chain.report().problem().map(Object::toString).orElse(""));
            assertEquals(shipper.chainId(), chain.chain());
            assertEquals(40, chain.report().records());
            assertEquals(log.durableSeq(), chain.report().lastSeq());
            assertTrue(chain.report().segments() > 2, "segments: " + chain.report().segments());
            assertEquals(0, shipper.lag());
        }
    }

    @Test
    void shippingResumesWhereItStoodAfterARestart() throws Exception {
        String topic = newTopic();
        String chainId;
        try (AuditLog log = openLog()) {
            try (KafkaShipper shipper = ship(log, topic)) {
                appendDecisions(log, 15);
                awaitShipped(shipper, log);
                chainId = shipper.chainId();
            }
            appendDecisions(log, 15); // while nothing ships
            try (KafkaShipper shipper = ship(log, topic)) {
                assertEquals(chainId, shipper.chainId());
                awaitShipped(shipper, log);
            }
            ChainReport chain = onlyChain(verify(topic, log));
            assertTrue(chain.ok(), chain.report().problem().map(Object::toString).orElse(""));
            assertEquals(30, chain.report().records());
        }
    }

    @Test
    void aForgedRecordInTheTopicIsNamedWithItsOffset() throws Exception {
        String topic = newTopic();
        try (AuditLog log = openLog(); KafkaShipper shipper = ship(log, topic)) {
            appendDecisions(log, 5);
            awaitShipped(shipper, log);
            List<String> lines = Files.readAllLines(log.dir().resolve("00000001.jsonl"));
            String edited = lines.get(2).replace("\"allow\":false", "\"allow\":true");
            assertFalse(edited.equals(lines.get(2)), "seq 3 is a deny to flip");
            long offset = publish(topic, shipper.chainId(), "00000001.jsonl", "3", edited);

            ChainReport chain = onlyChain(verify(topic, log));

            assertFalse(chain.ok());
            Tampering problem = chain.report().problem().get();
            assertEquals(List.of(Tampering.Kind.INSERTED, "00000001.jsonl", 4, 3L),
                    List.of(problem.kind(), problem.file(), problem.line(), problem.seq()), problem.message());
            assertEquals(topic + " partition 0 offset " + offset, chain.where().orElseThrow());
        }
    }

    private AuditLog openLog() throws Exception {
        AuditSettings settings = AuditSettings.defaults().withDir(logDir).withSegmentMaxBytes(1500);
        return AuditLog.open(settings.chain(), Clock.systemUTC(), (writable, reason) -> { });
    }

    private KafkaShipper ship(AuditLog log, String topic) throws Exception {
        return KafkaShipper.start(log, new ShippingSettings(kafka.bootstrapServers(), topic, Mode.LOCAL,
                ShippingSettings.DEFAULT_ACK_TIMEOUT), warnings::add);
    }

    private void appendDecisions(AuditLog log, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            made++;
            log.append(PreparedRecord.builder(PreparedRecord.DECISION, Clock.systemUTC().instant())
                    .put("decision_id", "d-" + made).put("allow", made % 2 == 0).build()).get(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitShipped(KafkaShipper shipper, AuditLog log) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (shipper.acknowledgedSeq() < log.durableSeq() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(log.durableSeq(), shipper.acknowledgedSeq(), "shipped within " + WAIT + "; " + shipper.failure());
    }

    private static List<ChainReport> verify(String topic, AuditLog log) {
        return new TopicVerifier(List.of(log.key())).verify(kafka.bootstrapServers(), topic, WAIT);
    }

    private static ChainReport onlyChain(List<ChainReport> chains) {
        assertEquals(1, chains.size(), "chains: " + chains);
        return chains.get(0);
    }

    private static long publish(String topic, String chain, String segment, String line, String value)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, bytes(chain), bytes(value));
            record.headers().add(new RecordHeader(ShippedMessage.KIND, bytes(ShippedMessage.RECORD)));
            record.headers().add(new RecordHeader(ShippedMessage.SEGMENT, bytes(segment)));
            record.headers().add(new RecordHeader(ShippedMessage.LINE, bytes(line)));
            return producer.send(record).get(30, TimeUnit.SECONDS).offset();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String newTopic() {
        String topic = "decisions-" + TOPICS.incrementAndGet();
        kafka.createTopic(topic);
        return topic;
    }
}
