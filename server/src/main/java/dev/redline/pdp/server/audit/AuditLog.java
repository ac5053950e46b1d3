package dev.redline.pdp.server.audit;

import dev.redline.pdp.server.files.DurableFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
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
 * <p><b>Failing closed.</b> When a batch cannot be made durable its futures fail with
 * {@link AuditUnavailableException}, the listener hears that the log is not writable, and every
 * later record fails too until the writer has re-read the log from disk, found it exactly where it
 * left it, and made a {@value PreparedRecord#RESUMED} record durable (when the failure began, and
 * why), tried at most once a second and on idle ticks; only then does the listener hear that it is
 * writable again.
 */
public final class AuditLog implements AutoCloseable {
    /** Told, on the writer thread, when the log stops or starts accepting records. */
    public interface Listener {
        void writableChanged(boolean writable, String reason);
    }

    static final int QUEUE_CAPACITY = 16_384;
    static final int MAX_BATCH_RECORDS = 1024;
    private static final long IDLE_TICK_MILLIS = 250;
    private static final long RECOVERY_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long RETENTION_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int ACK_CHUNK = 64;

    private record Pending(PreparedRecord record, CompletableFuture<AppendReceipt> receipt) {}

    /** Segments before {@code segment} are readable whole, {@code segment} up to {@code bytes}; {@code seq} the last. */
    private record Horizon(long segment, long bytes, long seq) {}

    private final AuditSettings settings;
    private final Path dir;
    private final AuditKey key;
    private final Clock clock;
    private final Listener listener;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final ExecutorService acks;
    private final Thread writer;
    private final Optional<String> openingRepair;
    private volatile boolean closing;
    private volatile Horizon horizon;

    // Owned by the writer thread.
    private final MessageDigest sha256 = Sha256.newDigest();
    private final ByteArrayOutputStream batchBytes = new ByteArrayOutputStream(1 << 16);
    private final List<PreparedRecord> owed = new ArrayList<>();
    private ChainPoint head;
    private String prevDigest;
    private long nextSegment;
    private OpenSegment open;
    private AuditUnavailableException failure;
    private Instant failedAt;
    private long lastRecoveryNanos;
    private long lastRetentionNanos;

    private AuditLog(AuditSettings settings, Path dir, AuditKey key, Clock clock, Listener listener, LogRecovery.State state) {
        this.settings = settings;
        this.dir = dir;
        this.key = key;
        this.clock = clock;
        this.listener = listener;
        adopt(state);
        this.openingRepair = state.repair().map(r -> "cut off a damaged tail of " + state.open().file().name()
                + " (a write interrupted by a crash); recorded as repair record seq " + (state.head().seq() + 1));
        this.horizon = state.open() != null
                ? new Horizon(state.open().file().number(), state.open().stats().bytes(), state.head().seq())
                : new Horizon(state.nextSegment() - 1, Long.MAX_VALUE, state.head().seq());
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
    public static AuditLog open(AuditSettings settings, Clock clock, Listener listener) throws AuditLogException {
        Path dir = settings.effectiveDir();
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new AuditLogException("audit directory " + dir + " exists but is not a directory", e);
        } catch (IOException e) {
            throw new AuditLogException("cannot create audit directory " + dir + ": " + describe(e), e);
        }
        Path keyFile = settings.effectiveKeyFile();
        try {
            boolean sealedBefore = SegmentFile.list(dir).stream().anyMatch(SegmentFile::sealed);
            if (sealedBefore && !Files.exists(keyFile)) {
                throw new AuditLogException("the decision log in " + dir + " has sealed segments but its key file "
                        + keyFile + " is missing; restore the key (or pass --audit-key-file) rather than start a new one", null);
            }
            AuditKey key = AuditKey.readOrGenerate(keyFile, settings.keyFile().isEmpty());
            AuditLog log = new AuditLog(settings, dir, key, clock, listener, LogRecovery.find(dir, key, clock));
            if (!log.owed.isEmpty()) {
                log.writeDurably(List.of()); // the repair is on record before anything else happens
            }
            log.writer.start();
            return log;
        } catch (IOException e) {
            throw new AuditLogException("cannot open the decision log in " + dir + ": " + describe(e), e);
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

    public Path dir() {
        return dir;
    }

    public AuditKey key() {
        return key;
    }

    /** What opening the log repaired, if anything. */
    public Optional<String> openingRepair() {
        return openingRepair;
    }

    /** The newest segment that holds durable records, or was sealed last. */
    long durableSegment() {
        return horizon.segment();
    }

    /** The seq of the newest durable record (0 for an empty log). */
    public long durableSeq() {
        return horizon.seq();
    }

    /** How many bytes of segment {@code number} (of {@code fileBytes}) hold durable records. */
    long readableBytes(long number, long fileBytes) {
        Horizon h = horizon;
        if (number < h.segment()) {
            return fileBytes;
        }
        return number == h.segment() ? Math.min(fileBytes, h.bytes()) : 0;
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
                settle(batch, null, enterFailure(new IOException("the log writer failed: " + e, e)));
            }
            batch.clear();
        }
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // everything acknowledged was forced already
            }
        }
    }

    private void writeBatch(List<Pending> batch) {
        List<PreparedRecord> records = new ArrayList<>(batch.size());
        batch.forEach(p -> records.add(p.record()));
        List<AppendReceipt> receipts;
        try {
            ensureWritable();
            rotateIfDue();
            applyRetention(false);
            receipts = writeDurably(records);
        } catch (AuditUnavailableException e) {
            settle(batch, null, e);
            return;
        } catch (IOException | RuntimeException e) {
            settle(batch, null, enterFailure(e));
            return;
        }
        settle(batch, receipts, null);
    }

    /** Between batches: seal a segment that has grown old, retry a failed log, apply retention. */
    private void idle() {
        try {
            ensureWritable();
            rotateIfDue();
            applyRetention(false);
        } catch (AuditUnavailableException e) {
            // still failing; the next attempt comes after the backoff
        } catch (IOException | RuntimeException e) {
            enterFailure(e);
        }
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

    /** Chains, writes and forces {@code records} (after any owed repair record); their receipts in order. */
    private List<AppendReceipt> writeDurably(List<PreparedRecord> records) throws IOException {
        if (open == null) {
            open = OpenSegment.create(SegmentFile.in(dir, nextSegment));
        }
        List<PreparedRecord> all = records;
        int owedCount = owed.size();
        if (owedCount > 0) {
            all = new ArrayList<>(owed);
            all.addAll(records);
        }
        batchBytes.reset();
        ChainPoint point = head;
        SegmentStats stats = open.stats();
        List<AppendReceipt> receipts = new ArrayList<>(all.size());
        String segment = open.file().name();
        for (PreparedRecord record : all) {
            RecordCodec.Encoded encoded = RecordCodec.encode(record, point.seq() + 1, point.hash(), sha256);
            batchBytes.writeBytes(encoded.line());
            point = new ChainPoint(point.seq() + 1, encoded.hash());
            stats = stats.plus(point.seq(), point.hash(), record.time(), encoded.line().length);
            receipts.add(new AppendReceipt(segment, point.seq(), point.hash()));
        }
        open.appendDurably(batchBytes.toByteArray(), batchBytes.size(), stats);
        head = point;
        owed.clear();
        horizon = new Horizon(open.file().number(), stats.bytes(), point.seq());
        return receipts.subList(owedCount, receipts.size());
    }

    private void rotateIfDue() throws IOException {
        if (open == null || open.stats().records() == 0) {
            return;
        }
        SegmentStats stats = open.stats();
        boolean full = stats.bytes() >= settings.segmentMaxBytes();
        boolean old = !clock.instant().isBefore(stats.firstTime().plus(settings.segmentMaxAge()));
        if (full || old) {
            seal();
        }
    }

    private void seal() throws IOException {
        SegmentStats s = open.stats();
        SegmentDigest digest = new SegmentDigest(open.file().name(), s.firstSeq(), s.lastSeq(), s.records(),
                s.firstHash(), s.lastHash(), s.minTime().toString(), s.maxTime().toString(), s.bytes(), prevDigest,
                key.id(), clock.instant().toString());
        SegmentDigest.Sealed sealed = digest.seal(key);
        DurableFiles.writeAtomically(open.file().digest(), SegmentDigest.fileContent(sealed));
        open.close();
        prevDigest = sealed.hmac();
        nextSegment = open.file().number() + 1;
        open = null;
        applyRetention(true);
    }

    private void applyRetention(boolean now) throws IOException {
        if (!Retention.configured(settings) || (!now && System.nanoTime() - lastRetentionNanos < RETENTION_INTERVAL_NANOS)) {
            return;
        }
        lastRetentionNanos = System.nanoTime();
        Instant time = clock.instant();
        List<Retention.Victim> victims = Retention.plan(SegmentFile.list(dir), key, settings, time);
        if (victims.isEmpty()) {
            return;
        }
        writeDurably(List.of(Retention.record(victims, settings, time)));
        // Segment, then digest, each deletion durable before the next: a crash can only leave a digest
        // without its segment, which the retention record accounts for (see RetentionRecords).
        for (Retention.Victim victim : victims) {
            Files.deleteIfExists(victim.segment().log());
            DurableFiles.forceDirectory(dir);
            Files.deleteIfExists(victim.segment().digest());
        }
        DurableFiles.forceDirectory(dir);
    }

    private void ensureWritable() throws IOException {
        if (failure == null) {
            return;
        }
        if (System.nanoTime() - lastRecoveryNanos < RECOVERY_BACKOFF_NANOS) {
            throw failure;
        }
        lastRecoveryNanos = System.nanoTime();
        try {
            adopt(recoverAfterFailure());
            // Writable means a record was made durable, not merely that the log could be re-read:
            // health must not say SERVING while the disk is still full.
            writeDurably(List.of(PreparedRecord.builder(PreparedRecord.RESUMED, clock.instant())
                    .put("failed_at", failedAt.toString())
                    .put("error", failure.getMessage())
                    .build()));
        } catch (IOException | AuditLogException | RuntimeException e) {
            failure = unavailable(e);
            throw failure;
        }
        failure = null;
        listener.writableChanged(true, "the decision log in " + dir + " is writable again");
    }

    private AuditUnavailableException enterFailure(Exception e) {
        boolean wasWritable = failure == null;
        failure = unavailable(e);
        lastRecoveryNanos = System.nanoTime();
        if (wasWritable) {
            failedAt = clock.instant();
            listener.writableChanged(false, failure.getMessage());
        }
        return failure;
    }

    private AuditUnavailableException unavailable(Exception e) {
        return new AuditUnavailableException("the decision log in " + dir + " cannot be written (" + describe(e)
                + "); decisions are refused until it can", e);
    }

    /**
     * Re-reads the log after a failure. Bytes a failed batch left are cut off first; then the log on
     * disk must end exactly where this writer last made it durable, or something else changed it.
     */
    private LogRecovery.State recoverAfterFailure() throws IOException, AuditLogException {
        if (open != null) {
            SegmentFile segment = open.file();
            long durable = open.stats().bytes();
            try {
                open.close();
            } catch (IOException ignored) {
                // the channel is discarded either way
            }
            open = null;
            if (!segment.sealed() && Files.exists(segment.log()) && Files.size(segment.log()) > durable) {
                try (FileChannel channel = FileChannel.open(segment.log(), StandardOpenOption.WRITE)) {
                    channel.truncate(durable);
                    channel.force(true);
                }
            }
        }
        LogRecovery.State found = LogRecovery.find(dir, key, clock);
        if (!found.head().equals(head)) {
            if (found.open() != null) {
                found.open().close();
            }
            throw new AuditLogException("the log on disk ends at seq " + found.head().seq()
                    + " but this server made it durable up to seq " + head.seq()
                    + ": it was changed while the server ran; run `pdp audit verify " + dir + "`", null);
        }
        return found;
    }

    private void adopt(LogRecovery.State state) {
        head = state.head();
        prevDigest = state.prevDigest();
        nextSegment = state.nextSegment();
        open = state.open();
        state.repair().ifPresent(owed::add);
    }

    static String describe(Exception e) {
        if (e instanceof FileSystemException fs) {
            String reason = fs.getReason();
            if (reason == null) {
                reason = switch (fs.getClass().getSimpleName()) {
                    case "FileAlreadyExistsException" -> "already exists";
                    case "NoSuchFileException" -> "does not exist";
                    case "NotDirectoryException" -> "not a directory";
                    case "AccessDeniedException" -> "permission denied";
                    case "DirectoryNotEmptyException" -> "directory not empty";
                    default -> fs.getClass().getSimpleName();
                };
            }
            return (fs.getFile() == null ? "" : fs.getFile() + ": ") + reason;
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
