package dev.redline.pdp.server.cli;

import dev.redline.pdp.api.v1.PolicyAdminServiceGrpc;
import dev.redline.pdp.server.admin.AdminTokens;
import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/**
 * The options every admin command shares: where the admin API is, how to reach it (plaintext, TLS,
 * mTLS) and which token to show it.
 */
final class AdminConnection {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @Option(names = "--address", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9192",
            description = "Admin API address (default ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--token", description = "Admin token (or env PDP_ADMIN_TOKEN).")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", defaultValue = "pdp-data/admin.tokens",
            description = "Admin tokens file; its first token is used (default ${DEFAULT-VALUE}).")
    Path tokenFile;

    @Option(names = "--tls", description = "Reach the admin port over TLS, trusting the JDK's default CAs (implied by --tls-ca and --tls-cert).")
    boolean tls;

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "Reach the admin port over TLS, trusting only the CA certificates in this PEM file.")
    Path tlsCa;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Client certificate (PEM chain) for an admin port that requires one (mTLS); with --tls-key.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "Private key (PKCS#8 PEM) of --tls-cert.")
    Path tlsKey;

    @Option(names = "--tls-server-name", paramLabel = "NAME", description = "Name the admin port's certificate must carry, when it is not the host of --address.")
    String tlsServerName;

    /** Runs {@code call} on a stub carrying the token, closing the channel afterwards. */
    <T> T call(java.util.function.Function<PolicyAdminServiceGrpc.PolicyAdminServiceBlockingStub, T> call)
            throws IOException {
        ManagedChannel channel = channel();
        try {
            return call.apply(PolicyAdminServiceGrpc.newBlockingStub(channel)
                    .withCallCredentials(bearer(resolveToken()))
                    .withDeadlineAfter(2, TimeUnit.MINUTES));
        } finally {
            channel.shutdownNow();
        }
    }

    ManagedChannel channel() throws IOException {
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(address, transport());
        if (tlsServerName != null) {
            builder.overrideAuthority(tlsServerName);
        }
        return builder.build();
    }

    /** Plaintext unless a TLS option is given; a client certificate needs its key and the reverse. */
    private ChannelCredentials transport() throws IOException {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IOException("--tls-cert and --tls-key go together: give both to present a client certificate");
        }
        if (!tls && tlsCa == null && tlsCert == null) {
            if (tlsServerName != null) {
                throw new IOException("--tls-server-name applies to TLS: add --tls-ca FILE (or --tls)");
            }
            return InsecureChannelCredentials.create();
        }
        TlsChannelCredentials.Builder credentials = TlsChannelCredentials.newBuilder();
        if (tlsCa != null) {
            credentials.trustManager(readable(tlsCa).toFile());
        }
        if (tlsCert != null) {
            credentials.keyManager(readable(tlsCert).toFile(), readable(tlsKey).toFile());
        }
        return credentials.build();
    }

    private static Path readable(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("cannot read " + file);
        }
        return file;
    }

    CallCredentials credentials() throws IOException {
        return bearer(resolveToken());
    }

    private String resolveToken() throws IOException {
        if (token != null) {
            return token;
        }
        String env = System.getenv("PDP_ADMIN_TOKEN");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        if (!Files.exists(tokenFile)) {
            throw new IOException("no admin token: pass --token, set PDP_ADMIN_TOKEN, or point --token-file at the"
                    + " server's admin.tokens (" + tokenFile + " does not exist)");
        }
        try {
            return AdminTokens.read(tokenFile).firstToken();
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static CallCredentials bearer(String token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(AUTHORIZATION, "Bearer " + token);
                applier.apply(headers);
            }
        };
    }
}
