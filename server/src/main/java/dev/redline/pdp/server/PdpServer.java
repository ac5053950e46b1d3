package dev.redline.pdp.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.api.AuditGrpcService;
import dev.redline.pdp.server.api.CallerIdentity;
import dev.redline.pdp.server.api.DecisionGrpcService;
import dev.redline.pdp.server.audit.AuditLog;
import dev.redline.pdp.server.audit.AuditLogException;
import dev.redline.pdp.server.audit.AuditReader;
import dev.redline.pdp.server.audit.AuditSink;
import dev.redline.pdp.server.audit.DecisionRecorder;
import dev.redline.pdp.server.audit.Masker;
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
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A running PDP: the decision service, the audit service, gRPC health and server reflection on one
 * port, deciding with the configured bundle and recording every decision in the decision log
 * before answering it (unless the log is turned off). While the log cannot be written, decisions
 * fail and health says NOT_SERVING.
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
    private final Optional<AuditLog> audit;

    private PdpServer(Server server, PolicyEngine engine, HealthStatusManager health, Bundle bundle,
            Optional<AuditLog> audit) {
        this.server = server;
        this.engine = engine;
        this.health = health;
        this.bundle = bundle;
        this.audit = audit;
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

        /** The clock decision records are stamped with and segments age by. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Wraps the decision and audit services, e.g. for authentication or tracing. An
         * authentication interceptor that sets {@link CallerIdentity#PRINCIPAL} has the principal
         * recorded with each decision.
         */
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
            ServingConditions serving = new ServingConditions(health);
            serving.set(ServingConditions.DECISION_LOG_WRITABLE, true);
            Optional<AuditLog> audit;
            try {
                audit = openAudit(serving);
            } catch (StartupException e) {
                engine.close();
                throw e;
            }
            AuditSink sink = audit.<AuditSink>map(log -> new DecisionRecorder(log,
                    new Masker(config.audit().mask(), engine, json), json, clock)).orElse(AuditSink.OFF);
            var decisions = new DecisionGrpcService(new DecisionService(engine, json), sink,
                    config.limits().maxInputBytes(), config.maxBatchItems());
            var auditReads = new AuditGrpcService(audit.map(AuditReader::of));
            List<ServerInterceptor> decisionInterceptors = new ArrayList<>(interceptors);
            decisionInterceptors.add(0, CallerIdentity.peerInterceptor());
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress(config.bind(), config.port()))
                    .maxInboundMessageSize(config.maxMessageBytes())
                    .addService(ServerInterceptors.intercept(decisions, decisionInterceptors))
                    .addService(ServerInterceptors.intercept(auditReads, interceptors))
                    .addService(health.getHealthService())
                    .addService(ProtoReflectionServiceV1.newInstance())
                    .addService(ProtoReflectionService.newInstance())
                    .build();
            try {
                server.start();
            } catch (IOException | RuntimeException e) {
                engine.close();
                audit.ifPresent(AuditLog::close);
                throw e;
            }
            return new PdpServer(server, engine, health, bundle, audit);
        }

        /** Opens the decision log; while it cannot be written, health says NOT_SERVING. */
        private Optional<AuditLog> openAudit(ServingConditions serving) throws StartupException {
            if (!config.audit().enabled()) {
                return Optional.empty();
            }
            try {
                return Optional.of(AuditLog.open(config.audit(), clock,
                        (writable, reason) -> serving.set(ServingConditions.DECISION_LOG_WRITABLE, writable)));
            } catch (AuditLogException e) {
                throw new StartupException("decision log: " + e.getMessage(), e);
            }
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

    /** The decision log, unless it is turned off. */
    public Optional<AuditLog> audit() {
        return audit;
    }

    /** Blocks until the server has shut down. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /**
     * Stops taking calls, lets calls in flight finish (up to 5 s) — their records are written
     * first — then closes the decision log and releases the engine.
     */
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
        audit.ifPresent(AuditLog::close);
        engine.close();
    }
}
