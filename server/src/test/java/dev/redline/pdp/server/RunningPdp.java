package dev.redline.pdp.server;

import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** A real PDP on a loopback port and a real channel to it: what the end-to-end tests talk to. */
final class RunningPdp implements AutoCloseable {
    final PdpServer server;
    final ManagedChannel channel;

    private RunningPdp(PdpServer server) {
        this.server = server;
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    /** Starts on free ports; a config still on the default data dir gets a fresh temporary one. */
    static RunningPdp start(PdpConfig config) throws IOException {
        PdpConfig ephemeral = config.withPort(0).withAdminPort(0);
        if (config.policy().dataDir().equals(PdpConfig.defaults().policy().dataDir())) {
            ephemeral = ephemeral.withDataDir(java.nio.file.Files.createTempDirectory("pdp-test-"));
        }
        return new RunningPdp(PdpServer.builder(ephemeral).start());
    }

    static RunningPdp startContract() throws IOException {
        return start(PdpConfig.defaults());
    }

    DecisionServiceGrpc.DecisionServiceBlockingStub decisions() {
        return DecisionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.close();
    }
}
