package dev.redline.pdp.server.audit.chain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How a chained record log is kept: where, sealed with which key, how segments are cut, how long
 * they are retained. The decision log's settings ({@code audit.AuditSettings}) say this and more.
 *
 * @param dir where segments and digests live
 * @param keyFile the HMAC key that seals segment digests
 * @param mayGenerateKey true when a missing key file may be generated (the default location), false
 *     when it was named and must exist
 * @param segmentMaxBytes a segment is sealed once it holds this many bytes
 * @param segmentMaxAge a segment is sealed once its first record is this old
 * @param retainMaxBytes sealed segments are deleted, oldest first, while the log is larger; 0 keeps everything
 * @param retainMaxAge sealed segments whose newest record is older are deleted; zero keeps everything
 * @param sync when a written batch counts as recorded
 * @param syncInterval with {@link SyncMode#WRITE}, how long a written record may wait to be forced to disk
 * @param usedMarker a file outside {@code dir} that records the log there has held records, so a
 *     start that finds the log gone refuses rather than begin a new chain; empty for none
 */
public record ChainSettings(
        Path dir,
        Path keyFile,
        boolean mayGenerateKey,
        long segmentMaxBytes,
        Duration segmentMaxAge,
        long retainMaxBytes,
        Duration retainMaxAge,
        SyncMode sync,
        Duration syncInterval,
        Optional<Path> usedMarker) {

    /** These settings with the log's use recorded in {@code marker} (which must lie outside {@code dir}). */
    public ChainSettings withUsedMarker(Path marker) {
        return new ChainSettings(dir, keyFile, mayGenerateKey, segmentMaxBytes, segmentMaxAge, retainMaxBytes,
                retainMaxAge, sync, syncInterval, Optional.of(marker));
    }
}
