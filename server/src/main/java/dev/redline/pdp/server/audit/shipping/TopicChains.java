package dev.redline.pdp.server.audit.shipping;

import dev.redline.pdp.server.audit.chain.ShippedSegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from its beginning up to where it ended when reading started, and rebuilds every
 * chain in it: per chain id, its segments in order, each with its record lines in the order their
 * replica wrote them (see {@link ShippedSegment#orderAsWritten}) and its digest. Exact redeliveries (the same bytes under the same segment and line) are dropped and
 * counted; anything else that claims a place already taken is kept for the verifier to name.
 */
public final class TopicChains {
    /** One chain as it stands in the topic. */
    public record Chain(String id, List<ShippedSegment> segments, long messages, long redelivered,
            List<String> strays) {}

    /**
     * A message as read.
     *
     * @param chain its key
     * @param origin where it is: topic, partition and offset
     * @param kind its {@value ShippedMessage#KIND} header ({@value ShippedMessage#RECORD} or {@value ShippedMessage#DIGEST})
     * @param segment its {@value ShippedMessage#SEGMENT} header
     * @param line its {@value ShippedMessage#LINE} header
     * @param value the record line or digest content
     */
    public record Message(String chain, String origin, String kind, String segment, String line, byte[] value) {}

    private TopicChains() {}

    /** Every chain in {@code topic}, in order of first appearance. */
    public static List<Chain> read(String bootstrapServers, String topic, Duration timeout) {
        Map<String, Builder> chains = new LinkedHashMap<>();
        forEach(bootstrapServers, topic, timeout, message -> chains
                .computeIfAbsent(message.chain(), Builder::new).add(message));
        List<Chain> result = new ArrayList<>();
        chains.values().forEach(b -> result.add(b.build()));
        return result;
    }

    /**
     * Hands every message in {@code topic} to {@code sink}, partition by partition, up to the end
     * offsets the topic had when reading started.
     *
     * @throws TopicReadException when the topic does not exist or cannot be read within {@code timeout}
     */
    public static void forEach(String bootstrapServers, String topic, Duration timeout, Consumer<Message> sink) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic, timeout);
            } catch (org.apache.kafka.common.KafkaException e) {
                throw new TopicReadException("cannot reach Kafka at " + bootstrapServers + " to read topic " + topic
                        + ": " + e.getMessage(), e);
            }
            if (infos == null || infos.isEmpty()) {
                throw new TopicReadException("topic " + topic + " does not exist at " + bootstrapServers, null);
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            for (TopicPartition partition : partitions) {
                readPartition(consumer, partition, ends.get(partition), timeout, sink);
            }
        }
    }

    private static void readPartition(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long end,
            Duration timeout, Consumer<Message> sink) {
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long next = consumer.position(partition, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (next < end) {
            if (System.nanoTime() > deadline) {
                throw new TopicReadException("reading " + partition + " stopped at offset " + next + " of " + end
                        + ": no progress within " + timeout, null);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() >= end) {
                    break;
                }
                String chain = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
                sink.accept(new Message(chain,
                        partition.topic() + " partition " + partition.partition() + " offset " + record.offset(),
                        ShippedMessage.header(record.headers(), ShippedMessage.KIND).orElse(""),
                        ShippedMessage.header(record.headers(), ShippedMessage.SEGMENT).orElse(""),
                        ShippedMessage.header(record.headers(), ShippedMessage.LINE).orElse(""),
                        record.value() == null ? new byte[0] : record.value()));
                deadline = System.nanoTime() + timeout.toNanos();
            }
            next = consumer.position(partition, timeout);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 << 20);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Where one message goes in its chain. */
    private static final class Builder {
        private final String id;
        private final Map<String, ShippedSegment> segments = new LinkedHashMap<>();
        private final Map<String, byte[]> byPlace = new HashMap<>();
        private final List<String> strays = new ArrayList<>();
        private ShippedSegment last;
        private long messages;
        private long redelivered;

        Builder(String id) {
            this.id = id;
        }

        void add(Message message) {
            messages++;
            String origin = message.origin();
            String segmentName = message.segment();
            Optional<ShippedSegment> segment = segment(segmentName);
            if (segment.isEmpty()) {
                if (last == null) {
                    strays.add(origin + " names no segment of this chain (segment header '" + segmentName + "')");
                    return;
                }
                // a message that does not say where it belongs is read where it stands, as a forgery would be
                last.addLine(message.value(), origin);
                return;
            }
            ShippedSegment target = segment.get();
            if (ShippedMessage.DIGEST.equals(message.kind())) {
                byte[] known = byPlace.get(segmentName + "|digest");
                if (known != null && Arrays.equals(known, message.value())) {
                    redelivered++;
                    return;
                }
                byPlace.put(segmentName + "|digest", message.value());
                target.setDigest(message.value(), origin);
                return;
            }
            String place = segmentName + "|" + message.line();
            byte[] known = byPlace.get(place);
            if (known != null && Arrays.equals(known, message.value())) {
                redelivered++;
                return;
            }
            byPlace.putIfAbsent(place, message.value());
            target.addLine(message.value(), lineNumber(message.line()), origin);
        }

        private Optional<ShippedSegment> segment(String name) {
            ShippedSegment known = segments.get(name);
            if (known != null) {
                return Optional.of(known);
            }
            try {
                ShippedSegment created = new ShippedSegment(name);
                segments.put(name, created);
                last = created;
                return Optional.of(created);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        private static long lineNumber(String header) {
            try {
                return Long.parseLong(header);
            } catch (NumberFormatException e) {
                return Long.MAX_VALUE;
            }
        }

        Chain build() {
            segments.values().forEach(ShippedSegment::orderAsWritten);
            List<ShippedSegment> ordered = new ArrayList<>(segments.values());
            ordered.sort((a, b) -> Long.compare(a.number(), b.number()));
            return new Chain(id, ordered, messages, redelivered, strays);
        }
    }
}
