package dev.redline.pdp.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.server.admin.AdminAuthInterceptor;
import dev.redline.pdp.server.admin.AdminTokens;
import dev.redline.pdp.server.admin.PolicyAdminGrpcService;
import dev.redline.pdp.server.api.DecisionGrpcService;
import dev.redline.pdp.server.bundle.BuiltInBundle;
import dev.redline.pdp.server.bundle.Bundle;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.decision.DecisionService;
import dev.redline.pdp.server.engine.PolicyEngine;
import dev.redline.pdp.server.policy.ActivationException;
import dev.redline.pdp.server.policy.PolicyManager;
import dev.redline.pdp.server.pull.BundlePoller;
import dev.redline.pdp.server.pull.PollState;
import dev.redline.pdp.server.store.BundleStore;
import dev.redline.pdp.server.store.StoreException;
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
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A running PDP: the decision service, gRPC health and server reflection on the decision port;
 * the policy admin service on its own port, behind admin tokens.
 *
 * <p>At start it decides with, in order: the {@code --bundle} file; else the bundle that was
 * active when it last stopped; else, with a poll URL, nothing until the first poll succeeds
 * (health NOT_SERVING); else the built-in contract bundle.
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
    private final Server adminServer;
    private final PolicyEngine engine;
    private final HealthStatusManager health;
    private final Optional<BundlePoller> poller;

    private PdpServer(Server server, Server adminServer, PolicyEngine engine, HealthStatusManager health,
            Optional<BundlePoller> poller) {
        this.server = server;
        this.adminServer = adminServer;
        this.engine = engine;
        this.health = health;
        this.poller = poller;
    }

    public static Builder builder(PdpConfig config) {
        return new Builder(config);
    }

    /** Configures and starts a {@link PdpServer}. */
    public static final class Builder {
        private final PdpConfig config;
        private final List<ServerInterceptor> interceptors = new ArrayList<>();
        private Clock clock = Clock.systemUTC();

        private Builder(PdpConfig config) {
            this.config = config;
        }

        /** Wraps the decision service, e.g. for authentication or tracing. */
        public Builder addInterceptor(ServerInterceptor interceptor) {
            interceptors.add(interceptor);
            return this;
        }

        /**
         * Loads and checks the first bundle, then binds and serves.
         *
         * @throws StartupException when the PDP cannot start as configured; nothing is left listening
         * @throws IOException when an address cannot be bound
         */
        public PdpServer start() throws IOException {
            ObjectMapper json = new ObjectMapper();
            BundleReader reader = new BundleReader(json, BundleLimits.defaults(), config.policy().signatures());
            HealthStatusManager health = new HealthStatusManager();
            setServing(health, ServingStatus.NOT_SERVING);
            PolicyEngine engine = new PolicyEngine(config.limits(), json);
            List<AutoCloseable> opened = new ArrayList<>(List.of(engine));
            try {
                BundleStore store = new BundleStore(config.policy().dataDir());
                PolicyManager manager = new PolicyManager(engine, reader, store, config.policy().keepBundles(), clock,
                        activated -> setServing(health, ServingStatus.SERVING));
                selectFirstBundle(manager);
                Optional<BundlePoller> poller = config.policy().poll().map(poll -> new BundlePoller(poll.url(),
                        poll.minDelay(), poll.maxDelay(), poll.bearerToken(), BundleLimits.defaults().maxArchiveBytes(),
                        manager, clock));
                poller.ifPresent(opened::add);

                var decisions = new DecisionGrpcService(new DecisionService(engine, json),
                        config.limits().maxInputBytes(), config.maxBatchItems());
                Server server = NettyServerBuilder.forAddress(new InetSocketAddress(config.bind(), config.port()))
                        .maxInboundMessageSize(config.maxMessageBytes())
                        .addService(ServerInterceptors.intercept(decisions, interceptors))
                        .addService(health.getHealthService())
                        .addService(ProtoReflectionServiceV1.newInstance())
                        .addService(ProtoReflectionService.newInstance())
                        .build()
                        .start();
                opened.add(0, () -> server.shutdownNow());

                AdminTokens tokens = AdminTokens.loadOrCreate(config.effectiveAdminTokens());
                var admin = new PolicyAdminGrpcService(manager, BundleLimits.defaults().maxArchiveBytes(),
                        () -> poller.map(BundlePoller::state));
                Server adminServer = NettyServerBuilder
                        .forAddress(new InetSocketAddress(config.bind(), config.effectiveAdminPort()))
                        .maxInboundMessageSize(4 << 20)
                        .addService(ServerInterceptors.intercept(admin, new AdminAuthInterceptor(tokens)))
                        .addService(health.getHealthService())
                        .addService(ProtoReflectionServiceV1.newInstance())
                        .build()
                        .start();
                poller.ifPresent(BundlePoller::start);
                return new PdpServer(server, adminServer, engine, health, poller);
            } catch (StoreException e) {
                closeAll(opened, e);
                throw new StartupException(e.getMessage(), e);
            } catch (IOException | RuntimeException e) {
                closeAll(opened, e);
                throw e;
            }
        }

        private static void closeAll(List<AutoCloseable> opened, Exception e) {
            {
                for (AutoCloseable resource : opened) {
                    try {
                        resource.close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
            }
        }

        private void selectFirstBundle(PolicyManager manager) throws IOException {
            try {
                if (config.bundle().isPresent()) {
                    Path file = config.bundle().get();
                    manager.push(file.getFileName().toString(), Files.readAllBytes(file), true, "startup", "startup");
                    return;
                }
                if (manager.restoreActive()) {
                    // A newer server version ships a newer built-in contract: serve that one.
                    if (manager.status().active().map(b -> b.name().equals(BuiltInBundle.NAME)).orElse(false)) {
                        manager.push(BuiltInBundle.NAME, BuiltInBundle.archive(), true, "startup", "startup");
                    }
                    return;
                }
                var restoreError = manager.status().lastError();
                if (restoreError.isPresent()) {
                    throw new StartupException(restoreError.get().message(), null);
                }
                if (config.policy().poll().isEmpty()) {
                    manager.push(BuiltInBundle.NAME, BuiltInBundle.archive(), true, "startup", "startup");
                }
            } catch (NoSuchFileException e) {
                throw new StartupException("bundle file " + e.getFile() + " does not exist", e);
            } catch (ActivationException e) {
                throw new StartupException(e.getMessage(), e);
            }
        }

        private static void setServing(HealthStatusManager health, ServingStatus status) {
            health.setStatus("", status);
            health.setStatus(DecisionServiceGrpc.SERVICE_NAME, status);
        }
    }

    /** The PDP could not start; the message says what to fix. */
    public static final class StartupException extends IOException {
        public StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The port of the decision service. */
    public int port() {
        return server.getPort();
    }

    /** The port of the policy admin service. */
    public int adminPort() {
        return adminServer.getPort();
    }

    /** The address the decision service listens on. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getListenSockets().get(0);
    }

    /** The bundle that decides now, if any. */
    public Optional<Bundle> activeBundle() {
        return engine.activeBundle();
    }

    /** Where the poller stands, when one is configured. */
    public Optional<PollState> pollState() {
        return poller.map(BundlePoller::state);
    }

    /** Blocks until the server has shut down. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops taking calls, lets calls in flight finish (up to 5 s), then releases the engine. */
    @Override
    public void close() {
        poller.ifPresent(BundlePoller::close);
        health.enterTerminalState();
        adminServer.shutdown();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
            if (!adminServer.awaitTermination(1, TimeUnit.SECONDS)) {
                adminServer.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            adminServer.shutdownNow();
            Thread.currentThread().interrupt();
        }
        engine.close();
    }
}
