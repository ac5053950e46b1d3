package dev.redline.pdp.server.cli;

import dev.redline.pdp.api.v1.AuditServiceGrpc;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/** How {@code pdp audit tail|get} reach a running PDP. */
final class AuditClientOptions {
    @Option(names = "--address", paramLabel = "HOST:PORT",
            description = "The PDP's decision port (default 127.0.0.1:" + PdpConfig.DEFAULT_PORT + ").")
    String address = "127.0.0.1:" + PdpConfig.DEFAULT_PORT;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Longest wait for an answer (default 10).")
    long timeoutSeconds = 10;

    ManagedChannel channel() {
        return NettyChannelBuilder.forTarget(address).usePlaintext().build();
    }

    AuditServiceGrpc.AuditServiceBlockingStub stub(ManagedChannel channel) {
        return AuditServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS);
    }

    static void close(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** One line naming the status and what the server said. */
    static String describe(StatusRuntimeException e) {
        String description = e.getStatus().getDescription();
        return e.getStatus().getCode() + (description == null ? "" : ": " + description);
    }
}
