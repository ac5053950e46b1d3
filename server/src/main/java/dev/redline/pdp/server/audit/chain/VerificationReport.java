package dev.redline.pdp.server.audit.chain;

import java.util.List;
import java.util.Optional;

/**
 * What verifying a log found.
 *
 * @param segments segment files checked
 * @param records records checked
 * @param firstSeq seq of the oldest record present (0 when none)
 * @param lastSeq seq of the newest record checked
 * @param lastHash the hash the chain ends with: write it down elsewhere to detect a later cut of the tail
 * @param notes what an auditor should know though it is not tampering (retention cuts, crash repairs)
 * @param problem the first tampering found, if any; checking stops there
 */
public record VerificationReport(int segments, long records, long firstSeq, long lastSeq, String lastHash,
        List<String> notes, Optional<Tampering> problem) {

    public VerificationReport {
        notes = List.copyOf(notes);
    }

    public boolean ok() {
        return problem.isEmpty();
    }
}
