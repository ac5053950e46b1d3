package dev.redline.pdp.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.server.api.DecisionGrpcService;
import dev.redline.pdp.server.bundle.BuiltInBundle;
import dev.redline.pdp.server.bundle.Bundle;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.bundle.InvalidBundleException;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.decision.DecisionService;
import dev.redline.pdp.server.engine.PolicyEngine;
import dev.redline.pdp.server.engine.PolicyLoadException;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running PDP: the decision service, gRPC health and server reflection on one port, deciding
 * with the configured bundle.
 *
 * <pre>{@code
 * try (PdpServer pdp = PdpServer.builder(PdpConfig.defaults().withPort(0)).start()) {
 *     int port = pdp.port();
 *     ...
 * }
 * }</pre>
 */
public final class PdpServer implements AutoCloseable {
    private final Server server;
    private final PolicyEngine engine;
    private final HealthStatusManager health;
    private final Bundle bundle;

    private PdpServer(Server server, PolicyEngine engine, HealthStatusManager health, Bundle bundle) {
        this.server = server;
        this.engine = engine;
        this.health = health;
        this.bundle = bundle;
    }

    public static Builder builder(PdpConfig config) {
        return new Builder(config);
    }

    /** Configures and starts a {@link PdpServer}. */
    public static final class Builder {
        private final PdpConfig config;
        private final List<ServerInterceptor> interceptors = new ArrayList<>();

        private Builder(PdpConfig config) {
            this.config = config;
        }

        /** Wraps the decision service, e.g. for authentication or tracing. */
        public Builder addInterceptor(ServerInterceptor interceptor) {
            interceptors.add(interceptor);
            return this;
        }

        /**
         * Loads and checks the bundle, then binds and serves.
         *
         * @throws StartupException when the bundle cannot be used; nothing is left listening
         * @throws IOException when the address cannot be bound
         */
        public PdpServer start() throws IOException {
            ObjectMapper json = new ObjectMapper();
            Bundle bundle = readBundle(json);
            PolicyEngine engine = new PolicyEngine(config.limits(), json);
            try {
                engine.activate(bundle);
            } catch (PolicyLoadException e) {
                engine.close();
                throw new StartupException("bundle " + bundle.name() + " cannot be loaded: " + e.getMessage(), e);
            }
            HealthStatusManager health = new HealthStatusManager();
            var decisions = new DecisionGrpcService(new DecisionService(engine, json),
                    config.limits().maxInputBytes(), config.maxBatchItems());
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress(config.bind(), config.port()))
                    .maxInboundMessageSize(config.maxMessageBytes())
                    .addService(ServerInterceptors.intercept(decisions, interceptors))
                    .addService(health.getHealthService())
                    .addService(ProtoReflectionServiceV1.newInstance())
                    .addService(ProtoReflectionService.newInstance())
                    .build();
            try {
                server.start();
            } catch (IOException | RuntimeException e) {
                engine.close();
                throw e;
            }
            health.setStatus("", ServingStatus.SERVING);
            health.setStatus(DecisionServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
            return new PdpServer(server, engine, health, bundle);
        }

        private Bundle readBundle(ObjectMapper json) throws IOException {
            BundleReader reader = new BundleReader(json, BundleLimits.defaults());
            try {
                if (config.bundle().isEmpty()) {
                    return reader.read(BuiltInBundle.NAME, BuiltInBundle.archive());
                }
                var path = config.bundle().get();
                return reader.read(path.getFileName().toString(), Files.readAllBytes(path));
            } catch (NoSuchFileException e) {
                throw new StartupException("bundle file " + e.getFile() + " does not exist", e);
            } catch (InvalidBundleException e) {
                throw new StartupException("bundle " + config.bundle().map(Object::toString).orElse(BuiltInBundle.NAME)
                        + " is invalid: " + e.getMessage(), e);
            }
        }
    }

    /** The PDP could not start; the message says what to fix. */
    public static final class StartupException extends IOException {
        public StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The port the server listens on. */
    public int port() {
        return server.getPort();
    }

    /** The address the server listens on. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getListenSockets().get(0);
    }

    /** The bundle that decides. */
    public Bundle bundle() {
        return engine.activeBundle().orElse(bundle);
    }

    /** Blocks until the server has shut down. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops taking calls, lets calls in flight finish (up to 5 s), then releases the engine. */
    @Override
    public void close() {
        health.enterTerminalState();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        engine.close();
    }
}
