package dev.redline.pdp.server.audit.chain;

import java.util.Locale;

/**
 * When a record counts as recorded, so that its decision may be answered (docs/decision-log.md,
 * "Durability").
 */
public enum SyncMode {
    /** Once its batch is forced to the disk ({@code fdatasync}): survives an OS crash or power loss. */
    FSYNC,
    /**
     * Once its batch is written to the file (the OS page cache); a background force follows within
     * the sync interval. Survives a crash or {@code kill -9} of the PDP; an OS crash or power loss
     * can lose the records of the last interval.
     */
    WRITE;

    /** The mode named {@code fsync} or {@code write}, as in the config file and flags. */
    public static SyncMode named(String name) {
        for (SyncMode mode : values()) {
            if (mode.configName().equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("decision-log-sync must be fsync or write, not \"" + name + "\"");
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
