package dev.redline.pdp.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.redline.pdp.server.audit.AuditSettings;
import dev.redline.pdp.server.audit.chain.SyncMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision-log settings of the config file, and their defaults. */
class AuditConfigTest {
    @TempDir
    Path dir;

    private PdpConfig read(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("pdp.yaml"), yaml);
        return ConfigFile.read(file).applyTo(PdpConfig.defaults());
    }

    @Test
    void byDefaultTheLogIsOnInPdpDataAuditKeepingEverything() {
        AuditSettings audit = PdpConfig.defaults().audit();

        assertEquals(true, audit.enabled());
        assertEquals(Path.of("pdp-data", "audit"), audit.effectiveDir());
        assertEquals(Path.of("pdp-data", "audit", "audit.key"), audit.effectiveKeyFile());
        assertEquals(64L << 20, audit.segmentMaxBytes());
        assertEquals(Duration.ofHours(1), audit.segmentMaxAge());
        assertEquals(0, audit.retainMaxBytes());
        assertEquals(Duration.ZERO, audit.retainMaxAge());
        assertEquals(List.of(), audit.mask());
    }

    @Test
    void everyAuditKeyOfTheConfigFileIsApplied() throws Exception {
        AuditSettings audit = read("""
                audit-dir: /var/lib/pdp/audit
                audit-key-file: /etc/pdp/audit.key
                audit-segment-bytes: 1048576
                audit-segment-age: 15m
                audit-retain-bytes: 10737418240
                audit-retain-age: 365d
                audit-mask: ["/input/subject/id", "/input/context/purpose"]
                decision-log-sync: write
                decision-log-sync-interval: 50ms
                """).audit();

        assertEquals(new AuditSettings(true, Optional.of(Path.of("/var/lib/pdp/audit")),
                Optional.of(Path.of("/etc/pdp/audit.key")), 1_048_576, Duration.ofMinutes(15), 10_737_418_240L,
                Duration.ofDays(365), List.of("/input/subject/id", "/input/context/purpose"), SyncMode.WRITE,
                Duration.ofMillis(50)), audit);
    }

    @Test
    void theDecisionLogIsForcedToDiskBeforeEachAnswerByDefault() throws Exception {
        assertEquals(SyncMode.FSYNC, read("audit: true\n").audit().sync());
    }

    @Test
    void aDecisionLogSyncModeOtherThanFsyncOrWriteIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read("decision-log-sync: async\n"));

        assertEquals("decision-log-sync must be fsync or write, not \"async\"", e.getMessage());
    }

    @Test
    void auditFalseTurnsTheLogOff() throws Exception {
        assertFalse(read("audit: false\n").audit().enabled());
    }

    @Test
    void aMaskPointerOutsideInputAndResultIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read("audit-mask: [\"/subject/id\"]\n"));

        assertEquals("audit mask \"/subject/id\" must start with /input or /result, e.g. /input/subject/id", e.getMessage());
    }

    @Test
    void aMisspelledAuditKeyIsRefused() {
        ConfigFile.InvalidConfigException e = assertThrows(ConfigFile.InvalidConfigException.class,
                () -> read("audit-directory: /tmp/x\n"));

        assertEquals(true, e.getMessage().contains("audit-directory"), e.getMessage());
    }
}
