package dev.redline.pdp.server.audit.chain;

import dev.redline.pdp.server.files.DurableFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
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
import java.util.concurrent.TimeUnit;

/**
 * Writes records into the segment files, synchronously, on its caller's thread: chains each record
 * to the one before, writes and forces a batch at once, seals a segment that is full or old, applies
 * retention, and, after a failure, refuses every batch until it has re-read the log from disk,
 * found it exactly where it left it, and made a {@value PreparedRecord#RESUMED} record durable
 * (tried at most once a second). Not thread-safe: {@link AuditLog}'s writer thread is its only caller.
 */
final class SegmentWriter implements AutoCloseable {
    private static final long RECOVERY_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long RETENTION_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Segments before {@code segment} are readable whole, {@code segment} up to {@code bytes}. */
    private record Horizon(long segment, long bytes) {}

    private final ChainSettings settings;
    private final Path dir;
    private final AuditKey key;
    private final Clock clock;
    private final AuditLog.Listener listener;
    private final Optional<String> openingRepair;
    private volatile Horizon horizon;

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

    private SegmentWriter(ChainSettings settings, AuditKey key, Clock clock, AuditLog.Listener listener,
            LogRecovery.State state) {
        this.settings = settings;
        this.dir = settings.dir();
        this.key = key;
        this.clock = clock;
        this.listener = listener;
        adopt(state);
        this.openingRepair = state.repair().map(r -> "cut off a damaged tail of " + state.open().file().name()
                + " (a write interrupted by a crash); recorded as repair record seq " + (state.head().seq() + 1));
        this.horizon = state.open() != null
                ? new Horizon(state.open().file().number(), state.open().stats().bytes())
                : new Horizon(state.nextSegment() - 1, Long.MAX_VALUE);
    }

    /**
     * Finds where the log in {@code settings.dir()} ends, repairs a tail a crash cut off, and puts
     * the repair on record before anything else is written.
     */
    static SegmentWriter open(ChainSettings settings, AuditKey key, Clock clock, AuditLog.Listener listener)
            throws IOException, AuditLogException {
        SegmentWriter writer = new SegmentWriter(settings, key, clock, listener,
                LogRecovery.find(settings.dir(), key, clock));
        if (!writer.owed.isEmpty()) {
            writer.writeDurably(List.of());
        }
        return writer;
    }

    /** What opening the log repaired, if anything. */
    Optional<String> openingRepair() {
        return openingRepair;
    }

    /** How many bytes of segment {@code number} (of {@code fileBytes}) hold durable records; any thread. */
    long readableBytes(long number, long fileBytes) {
        Horizon h = horizon;
        if (number < h.segment()) {
            return fileBytes;
        }
        return number == h.segment() ? Math.min(fileBytes, h.bytes()) : 0;
    }

    /**
     * Makes {@code records} durable, in order, after sealing and retention that are due.
     *
     * @return their receipts, in order
     * @throws AuditUnavailableException when they could not be made durable; nothing of them is
     *     acknowledged, and every later batch fails too until the log has recovered
     */
    List<AppendReceipt> write(List<PreparedRecord> records) {
        try {
            ensureWritable();
            rotateIfDue();
            applyRetention(false);
            return writeDurably(records);
        } catch (AuditUnavailableException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw enterFailure(e);
        }
    }

    /** Between batches: seal a segment that has grown old, retry a failed log, apply retention. */
    void idle() {
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

    /** Enters the failed state for a failure outside the writer's own calls (the writer thread's). */
    AuditUnavailableException fail(Exception e) {
        return enterFailure(e);
    }

    /** Closes the open segment; it stays open on disk for the next start. */
    @Override
    public void close() {
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // everything acknowledged was forced already
            }
            open = null;
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
        listener.forced(open.appendDurably(batchBytes.toByteArray(), batchBytes.size(), stats));
        head = point;
        owed.clear();
        horizon = new Horizon(open.file().number(), stats.bytes());
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
