package dev.redline.pdp.server.tls;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One port's TLS, served from files that may change. New handshakes use the material last read
 * successfully; connections already open keep theirs, so calls in flight are not cut. Changed
 * files that cannot be used (unparsable, key of another certificate, expired) leave the old
 * material in use and are reported once per broken state.
 *
 * <p>gRPC's {@link AdvancedTlsX509KeyManager} and {@link AdvancedTlsX509TrustManager} hold the
 * material and are handed new material in place; their own file timers are not used because they
 * reload at most once a minute, only when both key and certificate times change, and report a
 * failure to no one.
 */
public final class ReloadingTls {
    private static final Logger LOG = Logger.getLogger(ReloadingTls.class.getName());
    /** TLS 1.3 first: the JDK negotiates the first protocol both sides support. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final String port;
    private final TlsSettings settings;
    private final TlsReloadEvents events;
    private final Clock clock;
    private final AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
    private final Optional<AdvancedTlsX509TrustManager> clientTrust;
    private final SslContext sslContext;
    private TlsFiles served;
    private TlsFiles refused;

    private ReloadingTls(String port, TlsSettings settings, TlsReloadEvents events, Clock clock, TlsFiles files,
            TlsFiles.Material material) throws TlsMaterialException {
        this.port = port;
        this.settings = settings;
        this.events = events;
        this.clock = clock;
        this.served = files;
        try {
            this.clientTrust = settings.clientAuth() == ClientAuth.NONE ? Optional.empty()
                    : Optional.of(AdvancedTlsX509TrustManager.newBuilder()
                            .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
                            .build());
            install(material);
            SslContextBuilder builder = GrpcSslContexts.configure(SslContextBuilder.forServer(keys))
                    .protocols(PROTOCOLS)
                    .clientAuth(switch (settings.clientAuth()) {
                        case NONE -> io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth.NONE;
                        case OPTIONAL -> io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth.OPTIONAL;
                        case REQUIRE -> io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth.REQUIRE;
                    });
            clientTrust.ifPresent(builder::trustManager);
            this.sslContext = builder.build();
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsMaterialException(settings.certFile(), "cannot serve TLS from it: " + e.getMessage(), e);
        }
    }

    /**
     * Reads and checks the port's files.
     *
     * @param port names the port in reports, e.g. "decision" or "admin"
     * @throws TlsMaterialException naming the file that is missing or wrong
     */
    public static ReloadingTls open(String port, TlsSettings settings, TlsReloadEvents events, Clock clock)
            throws TlsMaterialException {
        TlsFiles files = TlsFiles.read(settings);
        return new ReloadingTls(port, settings, events, clock, files, files.parse(clock.instant()));
    }

    /** What the server hands Netty: it reads the current material at each handshake. */
    public SslContext sslContext() {
        return sslContext;
    }

    /** The port's name in reports. */
    public String port() {
        return port;
    }

    public TlsSettings settings() {
        return settings;
    }

    /** The certificate new handshakes present. */
    public X509Certificate servedCertificate() {
        return keys.getCertificateChain(keys.chooseEngineServerAlias(null, null, null))[0];
    }

    /** Reads the files again and, if they changed and are usable, serves them from now on. */
    public synchronized void reloadIfChanged() {
        TlsFiles files;
        TlsFiles.Material material;
        try {
            files = TlsFiles.read(settings);
            if (files.sameContentAs(served) || (refused != null && files.sameContentAs(refused))) {
                return;
            }
            try {
                material = files.parse(clock.instant());
            } catch (TlsMaterialException e) {
                refused = files;
                throw e;
            }
            install(material);
        } catch (TlsMaterialException | GeneralSecurityException | IOException e) {
            reportFailure(e.getMessage(), e);
            return;
        }
        served = files;
        refused = null;
        LOG.info(() -> "TLS of the " + port + " port reloaded: now serving " + servedCertificate().getSubjectX500Principal());
        events.reloaded(port);
    }

    private void reportFailure(String reason, Exception e) {
        LOG.log(Level.WARNING, "TLS files of the " + port + " port changed but cannot be used; still serving the"
                + " previous certificate: " + reason, e);
        events.reloadFailed(port, reason);
    }

    private void install(TlsFiles.Material material) throws GeneralSecurityException, IOException {
        if (clientTrust.isPresent()) {
            clientTrust.get().updateTrustCredentials(material.clientCas().orElseThrow());
        }
        keys.updateIdentityCredentials(material.key(), material.chain());
    }
}
