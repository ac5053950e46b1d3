package dev.redline.pdp.server.audit.chain;

import dev.redline.pdp.server.files.DirectoryLock;
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
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Writes records into the segment files, synchronously, on its caller's thread: chains each record
 * to the one before, writes a batch at once (forcing it too, or leaving that to a timer: {@link SyncMode}), seals a segment that is full or old, applies
 * retention, and, after a failure, refuses every batch until it has re-read the log from disk,
 * found it exactly where it left it, and made a {@value PreparedRecord#RESUMED} record durable
 * (tried at most once a second). Not thread-safe: {@link AuditLog}'s writer thread is its only caller.
 */
final class SegmentWriter implements AutoCloseable {
    private static final long RECOVERY_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long RETENTION_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Segments before {@code segment} are readable whole, {@code segment} up to {@code bytes}; {@code seq} the last. */
    private record Horizon(long segment, long bytes, long seq) {}

    private final ChainSettings settings;
    private final Path dir;
    private final AuditKey key;
    private final Clock clock;
    private final AuditLog.Listener listener;
    private final Optional<String> openingRepair;
    private final Optional<String> uncleanEnd;
    private final LogUseMarker used;
    private volatile Horizon horizon;

    private final MessageDigest sha256 = Sha256.newDigest();
    private final ByteArrayOutputStream batchBytes = new ByteArrayOutputStream(1 << 16);
    private final List<PreparedRecord> owed = new ArrayList<>();
    private ChainPoint head;
    private String prevDigest;
    private long nextSegment;
    private OpenSegment open;
    /** The log directory this writer holds (its file key), so a new segment is never made in a replacement. */
    private Object dirIdentity;
    /** The lock of the directory {@link #dirIdentity} names: one writer per directory. */
    private DirectoryLock lock;
    private AuditUnavailableException failure;
    /** The segment {@link #forceWritten()} forces: the open one, or the last one written to. */
    private volatile OpenSegment forcing;
    /** Why a background force failed, for the writer thread to enter the failed state. */
    private volatile IOException forceFailure;
    private Instant failedAt;
    private long lastRecoveryNanos;
    private long lastRetentionNanos;

    private SegmentWriter(ChainSettings settings, AuditKey key, Clock clock, AuditLog.Listener listener,
            DirectoryLock lock, LogRecovery.State state) throws IOException {
        this.settings = settings;
        this.dir = settings.dir();
        this.dirIdentity = OpenSegment.identityOf(dir);
        this.lock = lock;
        this.used = LogUseMarker.of(settings);
        this.key = key;
        this.clock = clock;
        this.listener = listener;
        adopt(state);
        this.uncleanEnd = state.uncleanEnd();
        this.openingRepair = state.repair().map(r -> "cut off a damaged tail of " + state.open().file().name()
                + " (a write interrupted by a crash); recorded as repair record seq " + (state.head().seq() + 1));
        this.horizon = state.open() != null
                ? new Horizon(state.open().file().number(), state.open().stats().bytes(), state.head().seq())
                : new Horizon(state.nextSegment() - 1, Long.MAX_VALUE, state.head().seq());
    }

    /**
     * Finds where the log in {@code settings.dir()} ends, repairs a tail a crash cut off, and puts
     * the repair on record before anything else is written. The writer holds {@code lock} (that
     * directory's) from now on, and releases it when it is closed.
     */
    static SegmentWriter open(ChainSettings settings, AuditKey key, Clock clock, AuditLog.Listener listener,
            DirectoryLock lock) throws IOException, AuditLogException {
        SegmentWriter writer = new SegmentWriter(settings, key, clock, listener, lock,
                LogRecovery.find(settings.dir(), key, clock));
        if (!writer.owed.isEmpty()) {
            writer.writeChained(List.of());
        }
        return writer;
    }

    /** What opening the log repaired, if anything. */
    Optional<String> openingRepair() {
        return openingRepair;
    }

    /** The newest segment that holds durable records, or was sealed last; any thread. */
    long durableSegment() {
        return horizon.segment();
    }

    /** The seq of the newest durable record (0 for an empty log); any thread. */
    long durableSeq() {
        return horizon.seq();
    }

    /** How the run before ended, when it did not stop cleanly. */
    Optional<String> uncleanEnd() {
        return uncleanEnd;
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
            takeUpForceFailure();
            ensureWritable();
            rotateIfDue();
            applyRetention(false);
            return writeChained(records);
        } catch (AuditUnavailableException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw enterFailure(e);
        }
    }

    /** Between batches: seal a segment that has grown old, retry a failed log, apply retention. */
    void idle() {
        try {
            takeUpForceFailure();
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

    /**
     * Makes a {@value PreparedRecord#STOPPED} record durable, the last thing this writer writes, so
     * the next start knows the run ended deliberately and nothing was lost at its end.
     *
     * @return whether it is durable; false when the log cannot be written (the next start then
     *     finds an unclean end, which is the truth)
     */
    boolean writeStop() {
        try {
            ensureWritable();
            writeChained(List.of(PreparedRecord.builder(PreparedRecord.STOPPED, clock.instant()).build()));
            return true;
        } catch (AuditUnavailableException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            enterFailure(e);
            return false;
        }
    }

    /** Closes the open segment (it stays open on disk for the next start) and releases the directory. */
    @Override
    public void close() {
        if (open != null) {
            try {
                open.force();
                open.close();
            } catch (IOException ignored) {
                // in fsync mode everything acknowledged was forced already; in write mode it is in
                // the page cache, which a stopping process cannot lose
            }
            open = null;
        }
        try {
            lock.close();
        } catch (IOException ignored) {
            // the OS releases it when the process ends
        }
    }

    /**
     * Forces to disk what was written but not yet forced ({@link SyncMode#WRITE}); called on a
     * timer thread, concurrently with the writer. A failure is taken up by the writer's next call,
     * which then refuses records until the log has recovered.
     */
    void forceWritten() {
        OpenSegment segment = forcing;
        if (segment == null) {
            return;
        }
        try {
            listener.forced(segment.force());
        } catch (java.nio.channels.ClosedChannelException e) {
            // sealed (and forced by the seal) or closed meanwhile: nothing is left to force
        } catch (IOException e) {
            forceFailure = e;
        }
    }

    private void takeUpForceFailure() throws IOException {
        IOException e = forceFailure;
        if (e != null) {
            forceFailure = null;
            throw new IOException("forcing written records to disk failed: " + describe(e), e);
        }
    }

    /**
     * Chains and writes {@code records} (after any owed repair record), forced at once in
     * {@link SyncMode#FSYNC}, left to {@link #forceWritten()} in {@link SyncMode#WRITE}; their
     * receipts in order.
     */
    private List<AppendReceipt> writeChained(List<PreparedRecord> records) throws IOException {
        if (open == null) {
            confirmDirectoryHeld();
            open = OpenSegment.create(SegmentFile.in(dir, nextSegment));
        }
        used.recordUse(); // before the first acknowledgement: from then on, a vanished log is refused at start
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
        boolean forceNow = settings.sync() == SyncMode.FSYNC;
        long forcedNanos = open.append(batchBytes.toByteArray(), batchBytes.size(), stats, forceNow);
        if (forceNow) {
            listener.forced(forcedNanos);
        }
        forcing = open;
        head = point;
        owed.clear();
        horizon = new Horizon(open.file().number(), stats.bytes(), point.seq());
        return receipts.subList(owedCount, receipts.size());
    }

    private void confirmDirectoryHeld() throws IOException {
        if (dirIdentity != null && !Objects.equals(dirIdentity, OpenSegment.identityOf(dir))) {
            throw new OpenSegment.SegmentReplacedException(dir + " was replaced while the server held it open: it is no"
                    + " longer the directory this log was written in", null);
        }
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
        open.force(); // the digest vouches for these bytes: they must be on disk before it is
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
        writeChained(List.of(Retention.record(victims, settings, time)));
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
            LogRecovery.State found = recoverAfterFailure();
            try {
                holdTheDirectoryAtItsPath(); // found where this writer left it, so it is the log
            } catch (IOException e) {
                if (found.open() != null) {
                    found.open().close();
                }
                throw e;
            }
            adopt(found);
            // Writable means a record was made durable, not merely that the log could be re-read:
            // health must not say SERVING while the disk is still full.
            writeChained(List.of(PreparedRecord.builder(PreparedRecord.RESUMED, clock.instant())
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

    /**
     * Takes the directory now at the log's path as this writer's, after recovery found the log in it
     * intact: a directory restored from a copy is a new directory, and its lock must be taken again,
     * or a second server could start writing beside this one.
     */
    private void holdTheDirectoryAtItsPath() throws IOException {
        Object now = OpenSegment.identityOf(dir);
        if (Objects.equals(now, dirIdentity)) {
            return;
        }
        DirectoryLock fresh = DirectoryLock.acquire(dir);
        try {
            lock.close();
        } catch (IOException ignored) {
            // the old directory is gone; its lock went with it
        }
        lock = fresh;
        dirIdentity = now;
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
