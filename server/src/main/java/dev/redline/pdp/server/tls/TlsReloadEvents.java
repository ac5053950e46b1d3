package dev.redline.pdp.server.tls;

/**
 * Told each time a port's TLS files changed on disk and were read again: a metrics exporter
 * counts them, the serve command logs them. Called on the reloading thread; keep it quick.
 */
public interface TlsReloadEvents {
    /** The port now serves the new certificate, key and client CAs. */
    void reloaded(String port);

    /**
     * The changed files could not be used; the port goes on serving the material it had.
     *
     * @param reason what is wrong with which file, for the operator to fix
     */
    void reloadFailed(String port, String reason);

    /** Ignores every event. */
    TlsReloadEvents NONE = new TlsReloadEvents() {
        @Override
        public void reloaded(String port) {}

        @Override
        public void reloadFailed(String port, String reason) {}
    };
}
