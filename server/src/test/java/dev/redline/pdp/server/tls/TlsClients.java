package dev.redline.pdp.server.tls;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** Clients of a TLS port on loopback, as a caller of the PDP has them. */
public final class TlsClients {
    private TlsClients() {}

    /** A gRPC channel to {@code localhost:port} trusting {@code caFile}, presenting {@code client} if given. */
    public static ManagedChannel channel(int port, Path caFile, Optional<TestCertificates.PemFiles> client)
            throws IOException {
        TlsChannelCredentials.Builder credentials = TlsChannelCredentials.newBuilder().trustManager(caFile.toFile());
        if (client.isPresent()) {
            credentials.keyManager(client.get().cert().toFile(), client.get().key().toFile());
        }
        return channel(port, credentials.build());
    }

    public static ManagedChannel channel(int port, ChannelCredentials credentials) {
        return NettyChannelBuilder.forAddress("localhost", port, credentials).build();
    }

    /**
     * One TLS handshake with {@code localhost:port} offering only {@code protocols}, outside gRPC:
     * what the server presents and negotiates.
     */
    public static SSLSession handshake(int port, TestCertificates.Authority trusted,
            Optional<TestCertificates.Issued> client, String... protocols) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", trusted.certificate());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (client.isPresent()) {
            keys.setKeyEntry("client", client.get().keys().getPrivate(), new char[0],
                    new Certificate[] {client.get().certificate(), client.get().issuer().certificate()});
        }
        keyManagers.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(protocols);
            parameters.setApplicationProtocols(new String[] {"h2"});
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return socket.getSession();
        }
    }
}
