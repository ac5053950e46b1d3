package dev.redline.pdp.server.audit.shipping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.redline.pdp.server.audit.chain.PreparedRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Decision records as they stand in a topic, for {@code pdp audit tail --kafka}: the newest ones,
 * then, when following, each new one as it arrives. A record is printed as stored, with the chain
 * it belongs to as its first member. Redelivered copies are printed once.
 */
public final class TopicTail {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TopicTail() {}

    /**
     * Hands {@code sink} the newest {@code count} decision records that pass {@code filter}, oldest
     * first, then, while {@code following} says so, every new one.
     */
    public static void tail(String bootstrapServers, String topic, int count, Predicate<JsonNode> filter,
            Duration timeout, BooleanSupplier following, Consumer<JsonNode> sink) {
        Deque<JsonNode> newest = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        TopicChains.forEach(bootstrapServers, topic, timeout, message -> decision(message.chain(), message.value(),
                message.kind(), filter, seen).ifPresent(record -> {
                    newest.addLast(record);
                    if (newest.size() > count) {
                        newest.removeFirst();
                    }
                }));
        newest.forEach(sink);
        if (!following.getAsBoolean()) {
            return;
        }
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, timeout).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            while (following.getAsBoolean()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String chain = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
                    String kind = ShippedMessage.header(record.headers(), ShippedMessage.KIND).orElse("");
                    decision(chain, record.value(), kind, filter, seen).ifPresent(sink);
                }
            }
        }
    }

    private static Optional<JsonNode> decision(String chain, byte[] value, String kind,
            Predicate<JsonNode> filter, Set<String> seen) {
        if (!ShippedMessage.RECORD.equals(kind) || value == null) {
            return Optional.empty();
        }
        JsonNode record;
        try {
            record = JSON.readTree(value);
        } catch (IOException e) {
            return Optional.empty(); // not a record: pdp audit verify names it
        }
        if (record == null || !PreparedRecord.DECISION.equals(record.path("type").asText()) || !filter.test(record)
                || !seen.add(chain + "/" + record.path("seq").asLong())) {
            return Optional.empty();
        }
        ObjectNode withChain = JSON.createObjectNode().put("chain", chain);
        for (Map.Entry<String, JsonNode> member : record.properties()) {
            withChain.set(member.getKey(), member.getValue());
        }
        return Optional.of(withChain);
    }
}
