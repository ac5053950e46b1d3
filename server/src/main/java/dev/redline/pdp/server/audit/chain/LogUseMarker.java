package dev.redline.pdp.server.audit.chain;

import dev.redline.pdp.server.files.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A file outside the log's directory that says a log in that directory has held records. Without
 * it, a restart that finds the directory empty or gone cannot tell a log never used from one
 * deleted, moved or left unmounted, and would start a new chain at seq 1 that {@code verify}
 * passes, hiding that the records are gone. It is written once per process, when the writer
 * creates a segment, so it costs the decision path nothing.
 *
 * <p>File format: a comment line, then {@code dir <absolute path of the log directory>}.
 */
final class LogUseMarker {
    private static final String DIR_PREFIX = "dir ";

    private final Optional<Path> file;
    private final Path dir;
    private boolean current;

    private LogUseMarker(Optional<Path> file, Path dir) {
        this.file = file;
        this.dir = dir.toAbsolutePath().normalize();
    }

    static LogUseMarker of(ChainSettings settings) {
        return new LogUseMarker(settings.usedMarker(), settings.dir());
    }

    /**
     * Refuses to go on when the marker says the log in this directory held records and the
     * directory now holds no segment: the records were lost or moved, and the operator decides.
     */
    void refuseIfTheLogVanished() throws AuditLogException {
        if (file.isEmpty() || !marksThisDirectory()) {
            return;
        }
        Path marker = file.get();
        String missing;
        try {
            if (!Files.isDirectory(dir)) {
                missing = dir + " is missing";
            } else if (SegmentFile.list(dir).stream().noneMatch(SegmentFile::hasLog)) {
                missing = dir + " holds no segment (" + SegmentFile.logName(1) + ", the first, is missing)";
            } else {
                return;
            }
        } catch (IOException e) {
            throw new AuditLogException("cannot read the decision log directory " + dir + ": " + SegmentWriter.describe(e), e);
        }
        throw new AuditLogException("the decision log has vanished: " + missing + ", yet " + marker + " records that"
                + " this log held decisions, and a new chain would hide that its records are gone; restore the log to "
                + dir + " (from a backup, or mount its volume), or, to start a new, empty chain there deliberately,"
                + " remove " + marker, null);
    }

    /** Records that the log holds records, unless this process did so already or found it so at start. */
    void recordUse() throws IOException {
        if (file.isEmpty() || current) {
            return;
        }
        Path marker = file.get();
        DurableFiles.writeAtomically(marker, ("# Redline PDP: the decision log in this directory has held records;"
                + " see docs/decision-log.md, Restarts\n" + DIR_PREFIX + dir + "\n").getBytes(StandardCharsets.UTF_8));
        current = true;
    }

    private boolean marksThisDirectory() throws AuditLogException {
        Path marker = file.get();
        try {
            return Files.readAllLines(marker, StandardCharsets.UTF_8).stream()
                    .anyMatch(line -> line.equals(DIR_PREFIX + dir));
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new AuditLogException("cannot read the decision-log marker " + marker + ": " + SegmentWriter.describe(e), e);
        }
    }
}
