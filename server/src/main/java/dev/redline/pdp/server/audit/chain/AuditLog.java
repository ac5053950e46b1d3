package dev.redline.pdp.server.audit.chain;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The decision log: an append-only, hash-chained sequence of records in segment files, each
 * sealed segment covered by a keyed digest.
 *
 * <p><b>Group commit.</b> {@link #append} queues a record and returns a future. One writer
 * thread takes everything queued (up to {@value #MAX_BATCH_RECORDS} records), chains and writes
 * it, forces it to disk once, and only then completes the futures, on a small pool so the writer
 * can start the next batch. A record therefore waits for at most the batch being written when it
 * arrived plus its own batch; under load the batches grow and the cost of the force is shared.
 *
 * <p>This class is the queue, the writer thread and the acknowledgements; the
 * {@link SegmentWriter} does the writing, sealing, retention and recovery, synchronously.
 *
 * <p><b>Failing closed.</b> When a batch cannot be made durable its futures fail with
 * {@link AuditUnavailableException}, the listener hears that the log is not writable, and every
 * later record fails too until the writer has re-read the log from disk, found it exactly where it
 * left it, and made a {@value PreparedRecord#RESUMED} record durable (when the failure began, and
 * why), tried at most once a second and on idle ticks; only then does the listener hear that it is
 * writable again.
 */
public final class AuditLog implements AutoCloseable {
    /**
     * Told, on the writer thread, when the log stops or starts accepting records, and (for
     * metrics) how each batch went. Implementations return at once: the writer waits for them.
     */
    public interface Listener {
        void writableChanged(boolean writable, String reason);

        /** A batch of {@code records} was chained, written and forced (or failed) in {@code nanos}. */
        default void batchWritten(int records, long nanos) {}

        /** One force of the open segment to disk took {@code nanos}. */
        default void forced(long nanos) {}
    }

    static final int QUEUE_CAPACITY = 16_384;
    static final int MAX_BATCH_RECORDS = 1024;
    private static final long IDLE_TICK_MILLIS = 250;
    private static final int ACK_CHUNK = 64;

    private record Pending(PreparedRecord record, CompletableFuture<AppendReceipt> receipt) {}

    private final Path dir;
    private final AuditKey key;
    private final SegmentWriter segments;
    private final Listener listener;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final ExecutorService acks;
    private final Thread writer;
    private volatile boolean closing;

    private AuditLog(Path dir, AuditKey key, SegmentWriter segments, Listener listener) {
        this.dir = dir;
        this.key = key;
        this.segments = segments;
        this.listener = listener;
        AtomicInteger ackThreads = new AtomicInteger();
        this.acks = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "pdp-audit-ack-" + ackThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.writer = new Thread(this::run, "pdp-audit-writer");
        this.writer.setDaemon(true);
    }

    /**
     * Opens (creating if needed) the log in the configured directory, repairs a tail a crash cut
     * off, and starts the writer.
     *
     * @throws AuditLogException when the directory or key cannot be used, or the newest segment is
     *     damaged in a way no crash explains; the message says what to do
     */
    public static AuditLog open(ChainSettings settings, Clock clock, Listener listener) throws AuditLogException {
        Path dir = settings.dir();
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new AuditLogException("audit directory " + dir + " exists but is not a directory", e);
        } catch (IOException e) {
            throw new AuditLogException("cannot create audit directory " + dir + ": " + SegmentWriter.describe(e), e);
        }
        Path keyFile = settings.keyFile();
        try {
            boolean sealedBefore = SegmentFile.list(dir).stream().anyMatch(SegmentFile::sealed);
            if (sealedBefore && !Files.exists(keyFile)) {
                throw new AuditLogException("the decision log in " + dir + " has sealed segments but its key file "
                        + keyFile + " is missing; restore the key (or pass --audit-key-file) rather than start a new one", null);
            }
            AuditKey key = AuditKey.readOrGenerate(keyFile, settings.mayGenerateKey());
            AuditLog log = new AuditLog(dir, key, SegmentWriter.open(settings, key, clock, listener), listener);
            log.writer.start();
            return log;
        } catch (IOException e) {
            throw new AuditLogException("cannot open the decision log in " + dir + ": " + SegmentWriter.describe(e), e);
        }
    }

    /**
     * Queues {@code record}; the future completes once it is durable, or fails with
     * {@link AuditUnavailableException} when it cannot be made so. Never blocks.
     */
    public CompletableFuture<AppendReceipt> append(PreparedRecord record) {
        CompletableFuture<AppendReceipt> receipt = new CompletableFuture<>();
        if (closing) {
            receipt.completeExceptionally(new AuditUnavailableException("the decision log is closed", null));
        } else if (!queue.offer(new Pending(record, receipt))) {
            receipt.completeExceptionally(new AuditUnavailableException("the decision log in " + dir + " is "
                    + QUEUE_CAPACITY + " records behind (the disk is too slow); decisions are refused until it catches up",
                    null));
        }
        return receipt;
    }

    /** Records queued and not yet taken by the writer. */
    public int queueDepth() {
        return queue.size();
    }

    public Path dir() {
        return dir;
    }

    public AuditKey key() {
        return key;
    }

    /** What opening the log repaired, if anything. */
    public Optional<String> openingRepair() {
        return segments.openingRepair();
    }

    /** How many bytes of segment {@code number} (of {@code fileBytes}) hold durable records. */
    public long readableBytes(long number, long fileBytes) {
        return segments.readableBytes(number, fileBytes);
    }

    /** Writes what is queued, forces it, and stops the writer. The open segment stays open for the next start. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.receipt().completeExceptionally(new AuditUnavailableException("the decision log is closed", null)));
        acks.shutdown();
        try {
            acks.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the writer thread ----

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH_RECORDS);
        while (true) {
            Pending first;
            try {
                first = queue.poll(IDLE_TICK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = null;
            }
            if (first == null) {
                if (closing) {
                    break;
                }
                idle();
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, MAX_BATCH_RECORDS - 1);
            try {
                writeBatch(batch);
            } catch (Error e) {
                // the writer must outlive anything one batch does, or every later caller would wait forever
                settle(batch, null, segments.fail(new IOException("the log writer failed: " + e, e)));
            }
            batch.clear();
        }
        segments.close();
    }

    private void writeBatch(List<Pending> batch) {
        List<PreparedRecord> records = new ArrayList<>(batch.size());
        batch.forEach(p -> records.add(p.record()));
        List<AppendReceipt> receipts;
        long start = System.nanoTime();
        try {
            receipts = segments.write(records);
        } catch (AuditUnavailableException e) {
            listener.batchWritten(batch.size(), System.nanoTime() - start);
            settle(batch, null, e);
            return;
        }
        listener.batchWritten(batch.size(), System.nanoTime() - start);
        settle(batch, receipts, null);
    }

    private void idle() {
        segments.idle();
    }

    /** Completes the futures off the writer thread: answering the callers is their work, not the log's. */
    private void settle(List<Pending> batch, List<AppendReceipt> receipts, AuditUnavailableException error) {
        for (int from = 0; from < batch.size(); from += ACK_CHUNK) {
            int start = from;
            int end = Math.min(batch.size(), from + ACK_CHUNK);
            List<Pending> chunk = List.copyOf(batch.subList(start, end));
            Runnable task = () -> {
                for (int i = 0; i < chunk.size(); i++) {
                    if (error != null) {
                        chunk.get(i).receipt().completeExceptionally(error);
                    } else {
                        chunk.get(i).receipt().complete(receipts.get(start + i));
                    }
                }
            };
            try {
                acks.execute(task);
            } catch (RejectedExecutionException e) {
                task.run();
            }
        }
    }

}
