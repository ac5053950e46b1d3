package dev.redline.pdp.server.audit.chain;

import java.time.Instant;

/**
 * What a segment holds so far: everything its digest will state when it is sealed.
 *
 * @param records how many records
 * @param bytes its size
 * @param firstSeq seq of the first record (0 when empty)
 * @param firstHash hash of the first record ("" when empty)
 * @param lastSeq seq of the last record
 * @param lastHash hash of the last record
 * @param firstTime time of the first record, from which the segment's age counts (null when empty)
 * @param minTime earliest record time (null when empty)
 * @param maxTime latest record time (null when empty)
 */
record SegmentStats(long records, long bytes, long firstSeq, String firstHash, long lastSeq, String lastHash,
        Instant firstTime, Instant minTime, Instant maxTime) {

    static SegmentStats empty() {
        return new SegmentStats(0, 0, 0, "", 0, "", null, null, null);
    }

    /** These stats with one more record of {@code lineBytes} appended. */
    SegmentStats plus(long seq, String hash, Instant time, long lineBytes) {
        boolean first = records == 0;
        return new SegmentStats(records + 1, bytes + lineBytes, first ? seq : firstSeq, first ? hash : firstHash,
                seq, hash, first ? time : firstTime,
                minTime == null || time.isBefore(minTime) ? time : minTime,
                maxTime == null || time.isAfter(maxTime) ? time : maxTime);
    }
}
