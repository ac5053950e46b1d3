package dev.redline.pdp.server.audit.shipping;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the decision log is shipped.
 *
 * @param bootstrapServers Kafka's bootstrap list, {@code host:port,...}
 * @param topic the topic every replica ships to
 * @param mode when a decision may be answered
 * @param ackTimeout in {@link Mode#REPLICATED}, how long a decision waits for Kafka's acknowledgement
 */
public record ShippingSettings(String bootstrapServers, String topic, Mode mode, Duration ackTimeout) {
    /** When a decision may be answered. */
    public enum Mode {
        /** Once its record is durable in the local log; shipped after, the local log being the spool. */
        LOCAL("local"),
        /** Only once its record is durable locally and Kafka acknowledged it from every in-sync replica. */
        REPLICATED("replicated");

        private final String word;

        Mode(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        /** @throws IllegalArgumentException naming the accepted words */
        public static Mode parse(String word) {
            for (Mode mode : values()) {
                if (mode.word.equals(word)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("unknown Kafka shipping mode '" + word + "': use local or replicated");
        }
    }

    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(2);

    public ShippingSettings {
        Objects.requireNonNull(mode, "mode");
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Kafka shipping needs bootstrap servers (host:port,...)");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("Kafka shipping needs a topic");
        }
        if (ackTimeout == null || ackTimeout.isNegative() || ackTimeout.isZero()) {
            throw new IllegalArgumentException("the Kafka acknowledgement timeout must be positive, was " + ackTimeout);
        }
    }
}
