package dev.redline.pdp.server.cli;

import dev.redline.pdp.api.v1.AuditServiceGrpc;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How {@code pdp audit tail|get} reach a running PDP: its admin port, with an admin or reader token. */
final class AuditClientOptions {
    @Mixin
    AdminConnection connection;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Longest wait for an answer (default 10).")
    long timeoutSeconds = 10;

    ManagedChannel channel() throws IOException {
        return connection.channel();
    }

    AuditServiceGrpc.AuditServiceBlockingStub stub(ManagedChannel channel) throws IOException {
        return AuditServiceGrpc.newBlockingStub(channel).withCallCredentials(connection.credentials())
                .withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS);
    }

    static void close(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
