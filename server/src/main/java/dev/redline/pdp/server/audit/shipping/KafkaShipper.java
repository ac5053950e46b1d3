package dev.redline.pdp.server.audit.shipping;

import dev.redline.pdp.server.audit.chain.AuditLog;
import dev.redline.pdp.server.audit.chain.LogCursor;
import dev.redline.pdp.server.audit.chain.LogCursor.Item;
import dev.redline.pdp.server.audit.chain.LogCursor.Position;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes every durable record of the local log, and every sealed digest, to a topic, keyed by
 * this replica's chain id, with the official idempotent producer ({@code acks=all}).
 *
 * <p>The local log is the spool: the shipper reads it forward from the position Kafka last
 * acknowledged (kept durably in {@value ShippedPosition#FILE_NAME} beside the log), so a broker
 * that is down only makes the lag grow, and a restart resumes where shipping stood. After a
 * failure the shipper starts a new producer and sends again from the last acknowledged position:
 * what Kafka may already have arrives a second time as the same bytes under the same segment and
 * line, which a reader drops by {@code (chain, seq)} (see {@link TopicChains}).
 */
public final class KafkaShipper implements AutoCloseable {
    private static final int BATCH = 512;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long POSITION_WRITE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long RETRY_BACKOFF_MILLIS = 500;

    private final AuditLog log;
    private final LogCursor cursor;
    private final ShippingSettings settings;
    private final String chainId;
    private final Path positionFile;
    private final Consumer<String> warnings;
    private final NavigableMap<Long, CompletableFuture<Void>> waiting = new TreeMap<>();
    private final Thread thread;
    private volatile Position acknowledged;
    private volatile Optional<String> failure = Optional.empty();
    private volatile boolean closing;

    private KafkaShipper(AuditLog log, ShippingSettings settings, String chainId, Position start,
            Consumer<String> warnings) {
        this.log = log;
        this.cursor = new LogCursor(log);
        this.settings = settings;
        this.chainId = chainId;
        this.positionFile = log.dir().resolve(ShippedPosition.FILE_NAME);
        this.warnings = warnings;
        this.acknowledged = start;
        this.thread = new Thread(this::run, "pdp-kafka-shipper");
        this.thread.setDaemon(true);
    }

    /**
     * Starts shipping {@code log} from where it last stood; {@code warnings} hears, on the
     * shipper's thread, when Kafka stops acknowledging and why, and when it resumes.
     */
    public static KafkaShipper start(AuditLog log, ShippingSettings settings, Consumer<String> warnings)
            throws IOException {
        String chainId = ChainId.readOrCreate(log.dir());
        Position start = ShippedPosition.read(log.dir().resolve(ShippedPosition.FILE_NAME));
        KafkaShipper shipper = new KafkaShipper(log, settings, chainId, start, warnings);
        shipper.thread.start();
        return shipper;
    }

    public String chainId() {
        return chainId;
    }

    /** The seq of the newest record Kafka acknowledged. */
    public long acknowledgedSeq() {
        return acknowledged.seq();
    }

    /** Records durable in the local log that Kafka has not acknowledged yet: the gauge for the lag. */
    public long lag() {
        return Math.max(0, log.durableSeq() - acknowledged.seq());
    }

    /** Why Kafka is not acknowledging, while it is not. */
    public Optional<String> failure() {
        return failure;
    }

    /** Completes once Kafka acknowledged the record {@code seq} (and so every record before it). */
    public CompletableFuture<Void> acknowledged(long seq) {
        if (acknowledged.seq() >= seq) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done;
        synchronized (waiting) {
            done = waiting.computeIfAbsent(seq, s -> new CompletableFuture<>());
        }
        if (acknowledged.seq() >= seq) { // acknowledged while it was being put
            complete(acknowledged.seq());
        }
        return done;
    }

    private void run() {
        KafkaProducer<byte[], byte[]> producer = null;
        Position next = acknowledged;
        long positionWrittenNanos = 0;
        Position written = acknowledged;
        while (!closing) {
            try {
                if (producer == null) {
                    producer = newProducer();
                }
                List<Item> items = cursor.next(next, BATCH, skipped -> warnings.accept("segments " + skipped
                        + " were deleted by retention before they were shipped; their records are not in the topic"));
                if (items.isEmpty()) {
                    if (!written.equals(acknowledged)) {
                        written = writePosition(acknowledged);
                        positionWrittenNanos = System.nanoTime();
                    }
                    LockSupport.parkNanos(IDLE_PARK_NANOS);
                    continue;
                }
                List<Future<RecordMetadata>> sends = new ArrayList<>(items.size());
                for (Item item : items) {
                    sends.add(producer.send(message(item)));
                }
                for (Future<RecordMetadata> send : sends) {
                    send.get();
                }
                next = items.get(items.size() - 1).after();
                acknowledged = next;
                complete(next.seq());
                if (failure.isPresent()) {
                    failure = Optional.empty();
                    warnings.accept("Kafka acknowledges the decision log again; shipping resumed at seq "
                            + items.get(0).seq());
                }
                if (System.nanoTime() - positionWrittenNanos > POSITION_WRITE_INTERVAL_NANOS) {
                    written = writePosition(next);
                    positionWrittenNanos = System.nanoTime();
                }
            } catch (ExecutionException | KafkaException | IOException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                if (failure.isEmpty()) {
                    warnings.accept("shipping the decision log to Kafka topic " + settings.topic() + " at "
                            + settings.bootstrapServers() + " failed (" + cause + "); the local log keeps the records"
                            + " and shipping resumes from seq " + (acknowledged.seq() + 1));
                }
                failure = Optional.of(String.valueOf(cause.getMessage()));
                closeQuietly(producer);
                producer = null;
                next = acknowledged;
                sleep(RETRY_BACKOFF_MILLIS);
            } catch (InterruptedException e) {
                break;
            }
        }
        closeQuietly(producer);
        if (!written.equals(acknowledged)) {
            try {
                writePosition(acknowledged);
            } catch (IOException e) {
                warnings.accept("the shipping position could not be kept (" + e.getMessage()
                        + "); the next start ships again from seq " + (written.seq() + 1));
            }
        }
    }

    private Position writePosition(Position position) throws IOException {
        ShippedPosition.write(positionFile, position);
        return position;
    }

    private ProducerRecord<byte[], byte[]> message(Item item) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(settings.topic(), ShippedMessage.bytes(chainId),
                item.bytes());
        record.headers().add(new RecordHeader(ShippedMessage.KIND,
                ShippedMessage.bytes(item.digest() ? ShippedMessage.DIGEST : ShippedMessage.RECORD)));
        record.headers().add(new RecordHeader(ShippedMessage.SEGMENT, ShippedMessage.bytes(item.segment())));
        if (!item.digest()) {
            record.headers().add(new RecordHeader(ShippedMessage.LINE, ShippedMessage.bytes(Integer.toString(item.line()))));
        }
        return record;
    }

    private void complete(long seq) {
        List<CompletableFuture<Void>> done;
        synchronized (waiting) {
            Map<Long, CompletableFuture<Void>> upTo = waiting.headMap(seq, true);
            done = new ArrayList<>(upTo.values());
            upTo.clear();
        }
        done.forEach(f -> f.complete(null));
    }

    private KafkaProducer<byte[], byte[]> newProducer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "pdp-" + chainId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void closeQuietly(KafkaProducer<byte[], byte[]> producer) {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (KafkaException ignored) {
                // it is being replaced or the shipper is stopping; nothing it held is lost: the log has it
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops shipping after the batch in flight; what is not acknowledged is shipped by the next start. */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (waiting) {
            waiting.values().forEach(f -> f.completeExceptionally(new IllegalStateException("the shipper stopped")));
            waiting.clear();
        }
    }
}
