package dev.redline.pdp.server.audit;

import com.fasterxml.jackson.core.JsonPointer;
import dev.redline.pdp.server.audit.chain.ChainSettings;
import dev.redline.pdp.server.audit.chain.SyncMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the decision log is kept. Immutable; change it with the {@code with...} methods.
 *
 * @param enabled false turns the log off entirely (decisions are then answered unlogged)
 * @param dir where segments and digests live; empty for {@link #DEFAULT_DIR}
 * @param keyFile the HMAC key that seals segment digests; empty for {@code <dir>/audit.key},
 *     generated on first start
 * @param segmentMaxBytes a segment is sealed once it holds this many bytes (it may overshoot by one
 *     group-commit batch)
 * @param segmentMaxAge a segment is sealed once its first record is this old, so that records are
 *     covered by a keyed digest within this time
 * @param retainMaxBytes sealed segments are deleted, oldest first, while the log is larger; 0 keeps
 *     everything
 * @param retainMaxAge sealed segments whose newest record is older are deleted; zero keeps everything
 * @param mask JSON pointers (rooted at {@code /input} or {@code /result}) removed from every record
 * @param sync when a decision's record counts as recorded, so that the decision may be answered
 * @param syncInterval with {@link SyncMode#WRITE}, how long a written record may wait to be forced to disk
 */
public record AuditSettings(
        boolean enabled,
        Optional<Path> dir,
        Optional<Path> keyFile,
        long segmentMaxBytes,
        Duration segmentMaxAge,
        long retainMaxBytes,
        Duration retainMaxAge,
        List<String> mask,
        SyncMode sync,
        Duration syncInterval) {

    /**
     * The default force interval of {@link SyncMode#WRITE}: what an OS crash can lose, against one
     * {@code fdatasync} per interval off the decision path (docs/decision-log.md, "Durability").
     */
    public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMillis(100);

    public static final Path DEFAULT_DIR = Path.of("pdp-data", "audit");
    public static final String DEFAULT_KEY_FILE_NAME = "audit.key";

    public AuditSettings {
        mask = List.copyOf(mask);
        if (segmentMaxBytes < 1) {
            throw new IllegalArgumentException("audit segment size must be at least 1 byte, got " + segmentMaxBytes);
        }
        if (segmentMaxAge.isNegative() || segmentMaxAge.isZero()) {
            throw new IllegalArgumentException("audit segment age must be positive, got " + segmentMaxAge);
        }
        if (retainMaxBytes < 0) {
            throw new IllegalArgumentException("audit retain bytes must be 0 (keep all) or more, got " + retainMaxBytes);
        }
        if (retainMaxAge.isNegative()) {
            throw new IllegalArgumentException("audit retain age must be zero (keep all) or positive, got " + retainMaxAge);
        }
        for (String pointer : mask) {
            checkMaskPointer(pointer);
        }
        if (syncInterval.isNegative() || syncInterval.isZero()) {
            throw new IllegalArgumentException("decision-log-sync-interval must be positive, got " + syncInterval);
        }
    }

    public static AuditSettings defaults() {
        return new AuditSettings(true, Optional.empty(), Optional.empty(), 64L << 20, Duration.ofHours(1), 0,
                Duration.ZERO, List.of(), SyncMode.FSYNC, DEFAULT_SYNC_INTERVAL);
    }

    /** The directory in effect. */
    public Path effectiveDir() {
        return dir.orElse(DEFAULT_DIR);
    }

    /** What the chained record log under the decision log needs of these settings. */
    public ChainSettings chain() {
        return new ChainSettings(effectiveDir(), effectiveKeyFile(), keyFile.isEmpty(), segmentMaxBytes, segmentMaxAge,
                retainMaxBytes, retainMaxAge, sync, syncInterval, Optional.empty());
    }

    /** The key file in effect. */
    public Path effectiveKeyFile() {
        return keyFile.orElse(effectiveDir().resolve(DEFAULT_KEY_FILE_NAME));
    }

    /** Masked pointers must name something inside the logged input or result; anything else is a typo. */
    static void checkMaskPointer(String pointer) {
        JsonPointer parsed;
        try {
            parsed = JsonPointer.compile(pointer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("audit mask \"" + pointer + "\" is not a JSON pointer: " + e.getMessage(), e);
        }
        String root = parsed.getMatchingProperty();
        if (!"input".equals(root) && !"result".equals(root)) {
            throw new IllegalArgumentException("audit mask \"" + pointer
                    + "\" must start with /input or /result, e.g. /input/subject/id");
        }
    }

    public AuditSettings withEnabled(boolean enabled) {
        return new AuditSettings(enabled, dir, keyFile, segmentMaxBytes, segmentMaxAge, retainMaxBytes, retainMaxAge, mask, sync, syncInterval);
    }

    public AuditSettings withDir(Path dir) {
        return new AuditSettings(enabled, Optional.of(dir), keyFile, segmentMaxBytes, segmentMaxAge, retainMaxBytes,
                retainMaxAge, mask, sync, syncInterval);
    }

    public AuditSettings withKeyFile(Path keyFile) {
        return new AuditSettings(enabled, dir, Optional.of(keyFile), segmentMaxBytes, segmentMaxAge, retainMaxBytes,
                retainMaxAge, mask, sync, syncInterval);
    }

    public AuditSettings withSegmentMaxBytes(long segmentMaxBytes) {
        return new AuditSettings(enabled, dir, keyFile, segmentMaxBytes, segmentMaxAge, retainMaxBytes, retainMaxAge, mask, sync, syncInterval);
    }

    public AuditSettings withSegmentMaxAge(Duration segmentMaxAge) {
        return new AuditSettings(enabled, dir, keyFile, segmentMaxBytes, segmentMaxAge, retainMaxBytes, retainMaxAge, mask, sync, syncInterval);
    }

    public AuditSettings withRetainMaxBytes(long retainMaxBytes) {
        return new AuditSettings(enabled, dir, keyFile, segmentMaxBytes, segmentMaxAge, retainMaxBytes, retainMaxAge, mask, sync, syncInterval);
    }

    public AuditSettings withRetainMaxAge(Duration retainMaxAge) {
        return new AuditSettings(enabled, dir, keyFile, segmentMaxBytes, segmentMaxAge, retainMaxBytes, retainMaxAge, mask, sync, syncInterval);
    }

    public AuditSettings withSync(SyncMode sync) {
        return new AuditSettings(enabled, dir, keyFile, segmentMaxBytes, segmentMaxAge, retainMaxBytes, retainMaxAge, mask,
                sync, syncInterval);
    }

    public AuditSettings withSyncInterval(Duration syncInterval) {
        return new AuditSettings(enabled, dir, keyFile, segmentMaxBytes, segmentMaxAge, retainMaxBytes, retainMaxAge, mask,
                sync, syncInterval);
    }

    public AuditSettings withMask(List<String> mask) {
        return new AuditSettings(enabled, dir, keyFile, segmentMaxBytes, segmentMaxAge, retainMaxBytes, retainMaxAge, mask, sync, syncInterval);
    }
}
