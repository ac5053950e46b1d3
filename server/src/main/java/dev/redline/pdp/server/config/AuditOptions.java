package dev.redline.pdp.server.config;

import dev.redline.pdp.server.audit.AuditSettings;
import java.nio.file.Path;
import java.util.List;

/** Applies the decision-log settings a config file or the command line gives; null means "not given". */
public final class AuditOptions {
    private AuditOptions() {}

    public static AuditSettings apply(AuditSettings base, Boolean enabled, Path dir, Path keyFile, Long segmentBytes,
            String segmentAge, Long retainBytes, String retainAge, List<String> mask) {
        AuditSettings audit = base;
        if (enabled != null) audit = audit.withEnabled(enabled);
        if (dir != null) audit = audit.withDir(dir);
        if (keyFile != null) audit = audit.withKeyFile(keyFile);
        if (segmentBytes != null) audit = audit.withSegmentMaxBytes(segmentBytes);
        if (segmentAge != null) audit = audit.withSegmentMaxAge(Durations.parse(segmentAge));
        if (retainBytes != null) audit = audit.withRetainMaxBytes(retainBytes);
        if (retainAge != null) audit = audit.withRetainMaxAge(Durations.parse(retainAge));
        if (mask != null) audit = audit.withMask(mask);
        return audit;
    }
}
