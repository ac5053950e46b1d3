package dev.redline.pdp.server;

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
final class RunningPdp implements AutoCloseable {
    final PdpServer server;
    final ManagedChannel channel;
    private final Optional<Path> temporaryAuditDir;

    private RunningPdp(PdpServer server, Optional<Path> temporaryAuditDir) {
        this.server = server;
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        this.temporaryAuditDir = temporaryAuditDir;
    }

    /** Starts on a free port; a config still on the default decision-log directory gets a temporary one. */
    static RunningPdp start(PdpConfig config) throws IOException {
        return start(config, builder -> {});
    }

    static RunningPdp start(PdpConfig config, Consumer<PdpServer.Builder> customize) throws IOException {
        PdpConfig ephemeral = config.withPort(0);
        Optional<Path> temporary = Optional.empty();
        if (config.audit().enabled() && config.audit().dir().isEmpty()) {
            temporary = Optional.of(Files.createTempDirectory("pdp-audit-"));
            ephemeral = ephemeral.withAudit(config.audit().withDir(temporary.get()));
        }
        PdpServer.Builder builder = PdpServer.builder(ephemeral);
        customize.accept(builder);
        return new RunningPdp(builder.start(), temporary);
    }

    static RunningPdp startContract() throws IOException {
        return start(PdpConfig.defaults());
    }

    DecisionServiceGrpc.DecisionServiceBlockingStub decisions() {
        return DecisionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    AuditServiceGrpc.AuditServiceBlockingStub audit() {
        return AuditServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    /** What the standard gRPC health service says about the whole server. */
    ServingStatus health() {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
        if (temporaryAuditDir.isPresent()) {
            try (Stream<Path> files = Files.walk(temporaryAuditDir.get())) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory left behind is harmless
            }
        }
    }
}
