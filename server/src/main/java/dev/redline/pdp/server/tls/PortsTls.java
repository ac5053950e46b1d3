package dev.redline.pdp.server.tls;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The TLS of the decision and admin ports, and the thread that reloads it. When the admin port
 * inherits the decision port's settings, both ports share one material.
 */
public final class PortsTls implements AutoCloseable {
    private final Optional<ReloadingTls> decision;
    private final Optional<ReloadingTls> admin;
    private final Optional<TlsReloader> reloader;

    private PortsTls(Optional<ReloadingTls> decision, Optional<ReloadingTls> admin, Optional<TlsReloader> reloader) {
        this.decision = decision;
        this.admin = admin;
        this.reloader = reloader;
    }

    /**
     * Reads both ports' files and starts watching them.
     *
     * @param adminOwn the admin port's own settings; empty to use the decision port's
     */
    public static PortsTls open(Optional<TlsSettings> decisionSettings, Optional<TlsSettings> adminOwn,
            Duration reloadInterval, TlsReloadEvents events, Clock clock) throws TlsMaterialException {
        List<ReloadingTls> watched = new ArrayList<>();
        Optional<ReloadingTls> decision = Optional.empty();
        if (decisionSettings.isPresent()) {
            decision = Optional.of(ReloadingTls.open(adminOwn.isPresent() ? "decision" : "decision and admin",
                    decisionSettings.get(), events, clock));
            watched.add(decision.get());
        }
        Optional<ReloadingTls> admin = decision;
        if (adminOwn.isPresent()) {
            admin = Optional.of(ReloadingTls.open("admin", adminOwn.get(), events, clock));
            watched.add(admin.get());
        }
        Optional<TlsReloader> reloader = watched.isEmpty() ? Optional.empty()
                : Optional.of(TlsReloader.start(reloadInterval, List.copyOf(watched)));
        return new PortsTls(decision, admin, reloader);
    }

    public Optional<ReloadingTls> decision() {
        return decision;
    }

    public Optional<ReloadingTls> admin() {
        return admin;
    }

    @Override
    public void close() {
        reloader.ifPresent(TlsReloader::close);
    }
}
