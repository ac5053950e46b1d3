package dev.redline.pdp.server.tls;

import java.util.concurrent.atomic.AtomicLong;

/** Counts reloads and refused reloads across ports, for a metrics exporter to read. */
public final class TlsReloadCounts implements TlsReloadEvents {
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    @Override
    public void reloaded(String port) {
        reloads.incrementAndGet();
    }

    @Override
    public void reloadFailed(String port, String reason) {
        failures.incrementAndGet();
    }

    /** Changed files that are now served. */
    public long reloads() {
        return reloads.get();
    }

    /** Changed files that were refused, the previous material kept. */
    public long failures() {
        return failures.get();
    }
}
