package dev.redline.pdp.sdk;

import dev.redline.pdp.server.PdpServer;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.ServerInterceptor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Starts the real PDP (pdp-server, built-in contract bundle) on a free loopback port. */
final class RealPdp {
    private RealPdp() {}

    /** A PDP keeping its state in {@code dataDir}, with {@code interceptors} around its decision service. */
    static PdpServer start(Path dataDir, ServerInterceptor... interceptors) throws IOException {
        PdpServer.Builder builder = PdpServer.builder(
                PdpConfig.defaults().withWarmupTimeout(java.time.Duration.ZERO).withPort(0).withAdminPort(0).withDataDir(dataDir)
                        .withWarmupTimeout(java.time.Duration.ZERO)); // served cold: tests are not about the warm-up
        for (ServerInterceptor interceptor : interceptors) {
            builder.addInterceptor(interceptor);
        }
        return builder.start();
    }

    /**
     * A plaintext client of {@code pdp}. The deadline is generous: these tests are about answers,
     * not speed, and a first evaluation on a cold JVM may take a while.
     */
    static PdpClient client(PdpServer pdp) {
        return PdpClient.builder().target("127.0.0.1:" + pdp.port()).plaintext()
                .defaultDeadline(Duration.ofSeconds(10)).build();
    }

    /** A port on which nothing listens any more: a PDP that was started, then stopped. */
    static int portOfAStoppedPdp(Path dataDir) throws IOException {
        try (PdpServer stopped = start(dataDir)) {
            return stopped.port();
        }
    }
}
