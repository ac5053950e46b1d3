package dev.redline.pdp.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.admin.AdminAuthInterceptor;
import dev.redline.pdp.server.admin.AdminTokens;
import dev.redline.pdp.server.admin.AuditGrpcService;
import dev.redline.pdp.server.admin.PolicyAdminGrpcService;
import dev.redline.pdp.server.api.CallArrival;
import dev.redline.pdp.server.api.CallerIdentity;
import dev.redline.pdp.server.api.DecisionExecutor;
import dev.redline.pdp.server.api.DecisionGrpcService;
import dev.redline.pdp.server.api.MalformedRequests;
import dev.redline.pdp.server.audit.chain.AuditLog;
import dev.redline.pdp.server.audit.chain.AuditLogException;
import dev.redline.pdp.server.audit.AuditReader;
import dev.redline.pdp.server.audit.DecisionRecorder;
import dev.redline.pdp.server.audit.MaskRules;
import dev.redline.pdp.server.bundle.Bundle;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.config.GateSettings;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.decision.DecisionLog;
import dev.redline.pdp.server.decision.MaskEvaluator;
import dev.redline.pdp.server.decision.PolicyDecider;
import dev.redline.pdp.server.decision.RecordedDecisions;
import dev.redline.pdp.server.engine.JitSafeJdk;
import dev.redline.pdp.server.decision.DecisionObserver;
import dev.redline.pdp.server.engine.PolicyEngine;
import dev.redline.pdp.server.metrics.PdpMetrics;
import dev.redline.pdp.server.metrics.TlsReloadMetrics;
import dev.redline.pdp.server.policy.ActivationException;
import dev.redline.pdp.server.policy.PolicyManager;
import dev.redline.pdp.server.policy.PolicyStatus;
import dev.redline.pdp.server.pull.BundlePoller;
import dev.redline.pdp.server.replay.ImpactGate;
import dev.redline.pdp.server.replay.Replayer;
import dev.redline.pdp.server.shadow.ShadowEvaluator;
import dev.redline.pdp.server.config.ShadowSettings;
import dev.redline.pdp.server.pull.PollState;
import dev.redline.pdp.server.store.BundleStore;
import dev.redline.pdp.server.store.StoreException;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A running PDP: the decision service, gRPC health and server reflection on the decision port; the
 * policy admin and decision-log query services on the admin port, behind admin tokens.
 * Every decision is recorded in the decision log before it is answered.
 *
 * <p>At start it decides with the bundle {@link PolicyManager#startUp} chooses; with a poll URL
 * and nothing stored, health says NOT_SERVING until the first poll succeeds.
 *
 * <pre>{@code
 * try (PdpServer pdp = PdpServer.builder(PdpConfig.defaults().withPort(0)).start()) {
 *     int port = pdp.port();
 *     ...
 * }
 * }</pre>
 */
public final class PdpServer implements AutoCloseable {
    /** Where a start-up bundle that may never decide is reported (its warnings are in the status too). */
    private static final java.util.logging.Logger STARTUP_LOG = java.util.logging.Logger.getLogger(PdpServer.class.getName());

    private final Server server;
    private final Server adminServer;
    private final PolicyEngine engine;
    private final HealthStatusManager health;
    private final Optional<BundlePoller> poller;
    private final Optional<AuditLog> audit;
    private final DecisionExecutor decisionThreads;
    private final JitSafeJdk.Report jdk;
    private final Optional<PdpMetrics> metrics;
    private final ShadowEvaluator shadow;

    private PdpServer(Server server, Server adminServer, PolicyEngine engine, HealthStatusManager health,
            Optional<BundlePoller> poller, Optional<AuditLog> audit, DecisionExecutor decisionThreads,
            JitSafeJdk.Report jdk, Optional<PdpMetrics> metrics, ShadowEvaluator shadow) {
        this.shadow = shadow;
        this.server = server;
        this.adminServer = adminServer;
        this.engine = engine;
        this.health = health;
        this.poller = poller;
        this.audit = audit;
        this.decisionThreads = decisionThreads;
        this.jdk = jdk;
        this.metrics = metrics;
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

        /**
         * Wraps the decision and decision-log services, e.g. for authentication or tracing. An
         * authentication interceptor that sets {@link CallerIdentity#PRINCIPAL} has the principal
         * recorded with each decision.
         */
        public Builder addInterceptor(ServerInterceptor interceptor) {
            interceptors.add(interceptor);
            return this;
        }

        /** The clock decision records and bundle records are stamped with, and log segments age by. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Loads and checks the first bundle, then binds and serves.
         *
         * @throws StartupException when the PDP cannot start as configured, or on a JDK whose JIT can
         *     miscompile policies ({@link JitSafeJdk}); nothing is left listening
         * @throws IOException when an address cannot be bound
         */
        public PdpServer start() throws IOException {
            JitSafeJdk.Report jdk;
            try {
                jdk = JitSafeJdk.requireSafe();
            } catch (JitSafeJdk.UnsafeJdkException e) {
                throw new StartupException(e.getMessage(), e);
            }
            ObjectMapper json = new ObjectMapper();
            BundleLimits bundleLimits = config.policy().limits();
            BundleReader reader = new BundleReader(json, bundleLimits, config.policy().signatures());
            HealthStatusManager health = new HealthStatusManager();
            ServingConditions serving = new ServingConditions(health);
            serving.set(ServingConditions.BUNDLE_ACTIVE, false);
            serving.set(ServingConditions.DECISION_LOG_WRITABLE, true);
            PolicyEngine engine = new PolicyEngine(config.limits(), json);
            List<AutoCloseable> opened = new ArrayList<>(List.of(engine));
            Optional<PdpMetrics> metrics = config.metricsPort().map(port -> new PdpMetrics());
            metrics.ifPresent(opened::add);
            try {
                Optional<AuditLog> audit = openAudit(serving, metrics);
                audit.ifPresent(log -> opened.add(0, log));
                BundleStore store = new BundleStore(config.policy().dataDir());
                PolicyManager.Listener bundles = new PolicyManager.Listener() {
                    @Override
                    public void activated(Bundle bundle) {
                        serving.set(ServingConditions.BUNDLE_ACTIVE, true);
                    }

                    @Override
                    public void refused(ActivationException.Kind kind) {}
                };
                PolicyDecider decider = new PolicyDecider(engine, json);
                GateSettings gate = config.policy().gate();
                ImpactGate impactGate = new ImpactGate(audit, new Replayer(decider, json), gate.window(),
                        gate.maxDecisions(), config.limits().instances(), clock, json);
                ShadowSettings shadowing = config.policy().shadow();
                ShadowEvaluator shadow = new ShadowEvaluator(decider, audit, shadowing.sampleRate(),
                        shadowing.threads(), clock, json, metrics.map(PdpMetrics::shadow).orElse(ShadowEvaluator.Listener.NONE));
                opened.add(0, shadow);
                PolicyManager manager = new PolicyManager(engine, reader, store, config.policy().keepBundles(), clock,
                        metrics.map(m -> m.bundles(bundles)).orElse(bundles), impactGate, shadow);
                selectFirstBundle(manager);
                Optional<BundlePoller> poller = config.policy().poll().map(poll -> new BundlePoller(poll.url(),
                        poll.minDelay(), poll.maxDelay(), poll.bearerToken(), bundleLimits.maxArchiveBytes(),
                        manager, clock));
                poller.ifPresent(opened::add);

                DecisionLog decisionLog = audit.<DecisionLog>map(log -> new DecisionRecorder(log,
                        new MaskRules(config.audit().mask()), json, clock)).orElse(DecisionLog.OFF);
                var decisions = new DecisionGrpcService(new RecordedDecisions(decider,
                        new MaskEvaluator(engine, json), decisionLog,
                        metrics.map(PdpMetrics::decisions).orElse(DecisionObserver.NONE), shadow),
                        config.limits().maxInputBytes(), config.maxBatchItems(), config.maxBatchBytes());
                var auditReads = new AuditGrpcService(audit.map(AuditReader::of));
                List<ServerInterceptor> decisionInterceptors = new ArrayList<>(interceptors);
                decisionInterceptors.add(0, CallerIdentity.peerInterceptor());
                DecisionExecutor decisionThreads = new DecisionExecutor(config.limits().instances());
                opened.add(0, decisionThreads); // closed after the server, which shuts down first
                NettyServerBuilder decisionPort = NettyServerBuilder
                        .forAddress(new InetSocketAddress(config.bind(), config.port()));
                metrics.ifPresent(m -> decisionPort.addStreamTracerFactory(m.callStatus()));
                Server server = decisionPort
                        .maxInboundMessageSize(config.maxMessageBytes())
                        .callExecutor(decisionThreads)
                        .addStreamTracerFactory(new CallArrival())
                        .addService(new MalformedRequests(clock).guard(
                                ServerInterceptors.intercept(decisions, decisionInterceptors)))
                        .addService(health.getHealthService())
                        .addService(ProtoReflectionServiceV1.newInstance())
                        .addService(ProtoReflectionService.newInstance())
                        .build()
                        .start();
                opened.add(0, () -> server.shutdownNow());

                AdminTokens tokens = AdminTokens.loadOrCreate(config.effectiveAdminTokens());
                var admin = new PolicyAdminGrpcService(manager, bundleLimits.maxArchiveBytes(),
                        () -> poller.map(BundlePoller::state), gate.everyActivation(), shadow::report);
                Server adminServer = NettyServerBuilder
                        .forAddress(new InetSocketAddress(config.bind(), config.effectiveAdminPort()))
                        .maxInboundMessageSize(4 << 20)
                        .addService(ServerInterceptors.intercept(admin, new AdminAuthInterceptor(tokens)))
                        // Logged inputs are evidence about people: only token holders may read them.
                        .addService(ServerInterceptors.intercept(auditReads, new AdminAuthInterceptor(tokens)))
                        .addService(health.getHealthService())
                        .addService(ProtoReflectionServiceV1.newInstance())
                        .build()
                        .start();
                if (metrics.isPresent()) {
                    PdpMetrics m = metrics.get();
                    m.instances(engine::instancesBusy, engine::instancesTotal);
                    audit.ifPresent(log -> m.decisionLogQueue(log::queueDepth));
                    m.serve(config.bind(), config.metricsPort().get());
                }
                poller.ifPresent(BundlePoller::start);
                return new PdpServer(server, adminServer, engine, health, poller, audit, decisionThreads, jdk, metrics,
                        shadow);
            } catch (StoreException e) {
                closeAll(opened, e);
                throw new StartupException(e.getMessage(), e);
            } catch (AuditLogException e) {
                closeAll(opened, e);
                throw new StartupException("decision log: " + e.getMessage(), e);
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
                manager.startUp(config.bundle(), config.policy().poll().isPresent());
                PolicyStatus started = manager.status();
                started.warnings().forEach(warning -> STARTUP_LOG.warning("bundle "
                        + started.active().map(b -> b.name() + " (" + b.digest() + ")").orElse("") + ": " + warning));
            } catch (ActivationException e) {
                throw new StartupException(e.getMessage(), e);
            }
        }

        /** Opens the decision log; while it cannot be written, health says NOT_SERVING. */
        private Optional<AuditLog> openAudit(ServingConditions serving, Optional<PdpMetrics> metrics)
                throws AuditLogException {
            if (!config.audit().enabled()) {
                return Optional.empty();
            }
            AuditLog.Listener health = (writable, reason) -> serving.set(ServingConditions.DECISION_LOG_WRITABLE, writable);
            return Optional.of(AuditLog.open(config.effectiveAudit().chain(), clock,
                    metrics.map(m -> m.decisionLog(health)).orElse(health)));
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

    /** The port {@code /metrics} is served on, when metrics are on. */
    public Optional<Integer> metricsPort() {
        return metrics.map(PdpMetrics::port);
    }

    /** Where a certificate reloader reports its reloads ({@link TlsReloadMetrics#NONE} when metrics are off). */
    public TlsReloadMetrics tlsReloadMetrics() {
        return metrics.map(PdpMetrics::tls).orElse(TlsReloadMetrics.NONE);
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

    /** The decision log, unless it is turned off. */
    public Optional<AuditLog> audit() {
        return audit;
    }

    /** The JVM this PDP runs on, as {@link JitSafeJdk} found it. */
    public JitSafeJdk.Report jdk() {
        return jdk;
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
        decisionThreads.close();
        shadow.close(); // before the log its differences go to
        audit.ifPresent(AuditLog::close);
        engine.close();
        metrics.ifPresent(PdpMetrics::close);
    }
}
