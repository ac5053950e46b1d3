package dev.redline.pdp.server.harness;

import dev.redline.pdp.server.PdpServer;
import dev.redline.pdp.api.v1.AuditServiceGrpc;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** A real PDP on a loopback port and a real channel to it: what the end-to-end tests talk to. */
public final class RunningPdp implements AutoCloseable {
    public final PdpServer server;
    public final ManagedChannel channel;
    public final ManagedChannel adminChannel;
    public final Path adminTokens;
    private final Optional<Path> temporaryDataDir;

    private RunningPdp(PdpServer server, Path adminTokens, Optional<Path> temporaryDataDir) {
        this.server = server;
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        this.adminChannel = NettyChannelBuilder.forAddress("127.0.0.1", server.adminPort()).usePlaintext().build();
        this.adminTokens = adminTokens;
        this.temporaryDataDir = temporaryDataDir;
    }

    /**
     * Starts on free ports. A config still on the default data directory (bundle store, admin
     * tokens, decision log) gets a fresh temporary one, deleted on close.
     */
    public static RunningPdp start(PdpConfig config) throws IOException {
        return start(config, builder -> {});
    }

    public static RunningPdp start(PdpConfig config, Consumer<PdpServer.Builder> customize) throws IOException {
        PdpConfig ephemeral = config.withPort(0).withAdminPort(0);
        Optional<Path> temporary = Optional.empty();
        if (config.policy().dataDir().equals(PdpConfig.defaults().policy().dataDir())) {
            temporary = Optional.of(Files.createTempDirectory("pdp-test-"));
            ephemeral = ephemeral.withDataDir(temporary.get());
        }
        PdpServer.Builder builder = PdpServer.builder(ephemeral);
        customize.accept(builder);
        return new RunningPdp(builder.start(), ephemeral.effectiveAdminTokens(), temporary);
    }

    public static RunningPdp startContract() throws IOException {
        return start(PdpConfig.defaults());
    }

    public DecisionServiceGrpc.DecisionServiceBlockingStub decisions() {
        return DecisionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    /** The decision-log queries, on the admin port with the PDP's admin token. */
    public AuditServiceGrpc.AuditServiceBlockingStub audit() {
        try {
            return AuditServiceGrpc.newBlockingStub(adminChannel)
                    .withCallCredentials(AdminCalls.bearer(AdminCalls.firstToken(adminTokens)))
                    .withDeadlineAfter(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("no admin token in " + adminTokens, e);
        }
    }

    /** What the standard gRPC health service says about the whole server. */
    public ServingStatus health() {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }

    @Override
    public void close() {
        channel.shutdownNow();
        adminChannel.shutdownNow();
        server.close();
        temporaryDataDir.ifPresent(RunningPdp::deleteQuietly);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
