package dev.redline.pdp.server.tls;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Looks at every port's TLS files on one background thread, every {@code interval}. */
public final class TlsReloader implements AutoCloseable {
    private final ScheduledExecutorService timer;

    private TlsReloader(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    public static TlsReloader start(Duration interval, List<ReloadingTls> ports) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "pdp-tls-reload");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        timer.scheduleWithFixedDelay(() -> ports.forEach(TlsReloader::reload), millis, millis, TimeUnit.MILLISECONDS);
        return new TlsReloader(timer);
    }

    /** One port's failure must not stop the timer, which would silently end rotation for all. */
    private static void reload(ReloadingTls port) {
        try {
            port.reloadIfChanged();
        } catch (RuntimeException e) {
            java.util.logging.Logger.getLogger(TlsReloader.class.getName()).log(java.util.logging.Level.WARNING,
                    "TLS reload of the " + port.port() + " port failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
