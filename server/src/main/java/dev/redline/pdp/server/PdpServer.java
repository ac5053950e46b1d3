package dev.redline.pdp.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.admin.AdminAuthInterceptor;
import dev.redline.pdp.server.admin.AdminExposure;
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
import dev.redline.pdp.server.audit.chain.ChainSettings;
import dev.redline.pdp.server.audit.AuditReader;
import dev.redline.pdp.server.audit.DecisionRecorder;
import dev.redline.pdp.server.audit.MaskRules;
import dev.redline.pdp.server.audit.shipping.KafkaShipper;
import dev.redline.pdp.server.audit.shipping.ReplicatedRecords;
import dev.redline.pdp.server.audit.shipping.ShippingSettings;
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
import dev.redline.pdp.server.files.DirectoryLock;
import dev.redline.pdp.server.files.OwnerOnly;
import dev.redline.pdp.server.engine.WarmupReport;
import dev.redline.pdp.server.lifecycle.CallGate;
import dev.redline.pdp.server.lifecycle.Drain;
import dev.redline.pdp.server.files.SecretFiles;
import dev.redline.pdp.server.identity.JwtVerifier;
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
import dev.redline.pdp.server.tls.PortsTls;
import dev.redline.pdp.server.tls.ReloadingTls;
import dev.redline.pdp.server.tls.TlsMaterialException;
import dev.redline.pdp.server.tls.TlsReloadCounts;
import dev.redline.pdp.server.tls.TlsReloadEvents;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    /** In the data directory: records that the decision log has held records (see docs/decision-log.md, Restarts). */
    public static final String DECISION_LOG_USED_MARKER = "decision-log.used";
    private static final java.util.logging.Logger STARTUP_LOG = java.util.logging.Logger.getLogger(PdpServer.class.getName());

    private final Server server;
    private final Server adminServer;
    private final PolicyEngine engine;
    private final Optional<BundlePoller> poller;
    private final Optional<AuditLog> audit;
    private final Optional<KafkaShipper> shipping;
    private final JitSafeJdk.Report jdk;
    private final Optional<PdpMetrics> metrics;
    private final Drain drain;
    private final Duration shutdownGrace;
    private final List<String> secretFileWarnings;
    private final PortsTls tls;
    private final TlsReloadCounts tlsReloads;
    private final ShadowEvaluator shadow;
    private final Optional<WarmupReport> frontDoorWarmup;

    private PdpServer(Server server, Server adminServer, PolicyEngine engine, Optional<BundlePoller> poller,
            Optional<AuditLog> audit, Optional<KafkaShipper> shipping, JitSafeJdk.Report jdk,
            Optional<PdpMetrics> metrics, Drain drain, Duration shutdownGrace, List<String> secretFileWarnings,
            PortsTls tls, TlsReloadCounts tlsReloads, ShadowEvaluator shadow, Optional<WarmupReport> frontDoorWarmup) {
        this.shadow = shadow;
        this.frontDoorWarmup = frontDoorWarmup;
        this.server = server;
        this.adminServer = adminServer;
        this.engine = engine;
        this.poller = poller;
        this.audit = audit;
        this.shipping = shipping;
        this.jdk = jdk;
        this.metrics = metrics;
        this.drain = drain;
        this.shutdownGrace = shutdownGrace;
        this.secretFileWarnings = List.copyOf(secretFileWarnings);
        this.tls = tls;
        this.tlsReloads = tlsReloads;
    }

    public static Builder builder(PdpConfig config) {
        return new Builder(config);
    }

    /** Configures and starts a {@link PdpServer}. */
    public static final class Builder {
        private final PdpConfig config;
        private final List<ServerInterceptor> interceptors = new ArrayList<>();
        private final List<TlsReloadEvents> tlsEvents = new ArrayList<>();
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

        /** Told of every TLS reload and refused reload, e.g. to log it. */
        public Builder tlsReloadEvents(TlsReloadEvents events) {
            tlsEvents.add(events);
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
            List<String> secretFileWarnings = checkSecretFiles();
            Optional<String> exposure = AdminExposure.refusal(config.bind(), config.effectiveAdminPort(),
                    config.security().effectiveAdminTls().isPresent(), config.security().allowPlaintextAdmin());
            if (exposure.isPresent()) {
                throw new StartupException(exposure.get(), null);
            }
            // the endpoint is served last; until then the registry holds nothing to close
            Optional<PdpMetrics> metrics = config.metricsPort().map(port -> new PdpMetrics());
            TlsReloadCounts tlsReloads = new TlsReloadCounts();
            PortsTls tls = openTls(tlsReloads, metrics.map(PdpMetrics::tls).orElse(TlsReloadMetrics.NONE));
            ObjectMapper json = new ObjectMapper();
            BundleLimits bundleLimits = config.policy().limits();
            BundleReader reader = new BundleReader(json, bundleLimits, config.policy().signatures());
            HealthStatusManager health = new HealthStatusManager();
            ServingConditions serving = new ServingConditions(health);
            serving.set(ServingConditions.BUNDLE_ACTIVE, false);
            serving.set(ServingConditions.DECISION_LOG_WRITABLE, true);
            PolicyEngine engine = new PolicyEngine(config.limits(), json);
            List<AutoCloseable> opened = new ArrayList<>(List.of(engine, tls));
            metrics.ifPresent(opened::add);
            try {
                DirectoryLock dataDirLock = lockDataDir();
                opened.add(dataDirLock);
                Optional<AuditLog> audit = openAudit(serving, metrics);
                audit.ifPresent(log -> opened.add(0, log));
                Optional<KafkaShipper> shipping = startShipping(audit, json);
                shipping.ifPresent(shipper -> opened.add(0, shipper));
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
                GateSettings gateSettings = config.policy().gate();
                ImpactGate impactGate = new ImpactGate(audit, new Replayer(decider, json), gateSettings.window(),
                        gateSettings.maxDecisions(), config.limits().instances(), clock, json);
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
                if (shipping.isPresent() && config.shipping().get().mode() == ShippingSettings.Mode.REPLICATED) {
                    decisionLog = new ReplicatedRecords((DecisionRecorder) decisionLog, shipping.get(),
                            config.shipping().get().ackTimeout());
                }
                var decisions = new DecisionGrpcService(new RecordedDecisions(decider,
                        new MaskEvaluator(engine, json), decisionLog,
                        metrics.map(PdpMetrics::decisions).orElse(DecisionObserver.NONE), shadow),
                        config.limits().maxInputBytes(), config.maxBatchItems(), config.maxBatchBytes(),
                        config.maxClientConcurrency());
                var auditReads = new AuditGrpcService(audit.map(AuditReader::of));
                List<ServerInterceptor> decisionInterceptors = new ArrayList<>(interceptors);
                decisionInterceptors.add(0, CallerIdentity.peerInterceptor());
                decisionInterceptors.add(0, CallerIdentity.authentication(openJwt()));
                CallGate gate = new CallGate(); // outermost: a call it refuses reaches nothing else
                DecisionExecutor decisionThreads = new DecisionExecutor(config.limits().instances());
                opened.add(0, decisionThreads); // closed after the server, which shuts down first
                // The decision port's transport and call chain, built the same way for the private
                // warm-up port and the real one, so the warm-up runs the code callers will run.
                java.util.function.UnaryOperator<NettyServerBuilder> decisionTransport = port -> port
                        .maxInboundMessageSize(config.maxMessageBytes())
                        .callExecutor(decisionThreads)
                        .addStreamTracerFactory(new CallArrival());
                java.util.function.Function<DecisionGrpcService, ServerServiceDefinition> decisionCalls = service ->
                        new MalformedRequests(clock).guard(ServerInterceptors.intercept(
                                ServerInterceptors.intercept(service, decisionInterceptors), gate));
                Optional<WarmupReport> frontDoorWarmup = warmFrontDoor(engine, decider, json,
                        service -> decisionTransport.apply(NettyServerBuilder.forAddress(
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))).addService(decisionCalls.apply(service)));
                NettyServerBuilder decisionPort = secured(NettyServerBuilder
                        .forAddress(new InetSocketAddress(config.bind(), config.port())), tls.decision());
                metrics.ifPresent(m -> decisionPort.addStreamTracerFactory(m.callStatus()));
                Server server = decisionTransport.apply(decisionPort)
                        .addService(decisionCalls.apply(decisions))
                        .addService(health.getHealthService())
                        .addService(ProtoReflectionServiceV1.newInstance())
                        .addService(ProtoReflectionService.newInstance())
                        .build()
                        .start();
                opened.add(0, () -> server.shutdownNow());

                AdminTokens tokens = AdminTokens.loadOrCreate(config.effectiveAdminTokens());
                var admin = new PolicyAdminGrpcService(manager, bundleLimits.maxArchiveBytes(),
                        () -> poller.map(BundlePoller::state), gateSettings.everyActivation(), shadow::report);
                Server adminServer = secured(NettyServerBuilder
                        .forAddress(new InetSocketAddress(config.bind(), config.effectiveAdminPort())), tls.admin())
                        .maxInboundMessageSize(4 << 20)
                        .addService(ServerInterceptors.intercept(admin, new AdminAuthInterceptor(tokens), gate))
                        // Logged inputs are evidence about people: only token holders may read them.
                        .addService(ServerInterceptors.intercept(auditReads, new AdminAuthInterceptor(tokens), gate))
                        .addService(health.getHealthService())
                        .addService(ProtoReflectionServiceV1.newInstance())
                        .build()
                        .start();
                if (metrics.isPresent()) {
                    PdpMetrics m = metrics.get();
                    m.instances(engine::instancesBusy, engine::instancesTotal);
                    audit.ifPresent(log -> m.decisionLogQueue(log::queueDepth));
                    shipping.ifPresent(shipper -> m.decisionLogShipping(shipper::lag, () -> shipper.failure().isEmpty()));
                    m.serve(config.bind(), config.metricsPort().get());
                }
                poller.ifPresent(BundlePoller::start);
                // Once the log has written its stopped record: the shipper may still send it, then the
                // directory lock goes last, so no second writer joins before this one is done.
                List<AutoCloseable> released = new ArrayList<>(List.of(decisionThreads, engine));
                shipping.ifPresent(released::add);
                metrics.ifPresent(released::add);
                released.add(tls);
                released.add(dataDirLock);
                // The shadow stops with the poller: it is best effort, and its differences go to the log.
                List<AutoCloseable> stopFirst = new ArrayList<>();
                poller.ifPresent(stopFirst::add);
                stopFirst.add(shadow);
                Drain drain = new Drain(health, gate, stopFirst,
                        List.of(server, adminServer), audit, released);
                return new PdpServer(server, adminServer, engine, poller, audit, shipping, jdk, metrics, drain,
                        config.shutdownGrace(), secretFileWarnings, tls, tlsReloads, shadow, frontDoorWarmup);
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

        /**
         * Warms the decision port's code on a private loopback port before the real one opens, for at
         * most {@code --warmup-timeout} (the engine's warm-up of the first bundle had its own).
         */
        private Optional<WarmupReport> warmFrontDoor(PolicyEngine engine, PolicyDecider decider, ObjectMapper json,
                java.util.function.Function<DecisionGrpcService, NettyServerBuilder> privatePort) throws IOException {
            Optional<Bundle> bundle = engine.activeBundle();
            Duration timeout = config.limits().warmupTimeout();
            if (bundle.isEmpty() || timeout.isZero()) {
                return Optional.empty();
            }
            var unrecorded = new DecisionGrpcService(new RecordedDecisions(decider, new MaskEvaluator(engine, json),
                    DecisionLog.OFF), config.limits().maxInputBytes(), config.maxBatchItems(), config.maxBatchBytes(),
                    config.maxClientConcurrency());
            return Optional.of(new FrontDoorWarmup(timeout).run(privatePort.apply(unrecorded), bundle.get().warmupInputs()));
        }

        private PortsTls openTls(TlsReloadCounts counts, TlsReloadMetrics metrics) throws StartupException {
            List<TlsReloadEvents> listeners = new ArrayList<>(tlsEvents);
            listeners.add(0, counts);
            listeners.add(0, counted(metrics));
            TlsReloadEvents events = new TlsReloadEvents() {
                @Override
                public void reloaded(String port) {
                    listeners.forEach(listener -> listener.reloaded(port));
                }

                @Override
                public void reloadFailed(String port, String reason) {
                    listeners.forEach(listener -> listener.reloadFailed(port, reason));
                }
            };
            try {
                return PortsTls.open(config.security().tls(), config.security().adminTls(),
                        config.security().tlsReloadInterval(), events, clock);
            } catch (TlsMaterialException e) {
                throw new StartupException("TLS: " + e.getMessage(), e);
            }
        }

        /** The port of a shared material ("decision and admin") is counted as the decision port's. */
        private static TlsReloadEvents counted(TlsReloadMetrics metrics) {
            return new TlsReloadEvents() {
                @Override
                public void reloaded(String port) {
                    metrics.reloaded(metricsPort(port));
                }

                @Override
                public void reloadFailed(String port, String reason) {
                    metrics.failed(metricsPort(port));
                }

                private static String metricsPort(String port) {
                    return "admin".equals(port) ? "admin" : "decision";
                }
            };
        }

        private Optional<JwtVerifier> openJwt() throws StartupException {
            if (config.security().jwt().isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(JwtVerifier.open(config.security().jwt().get()));
            } catch (IOException e) {
                throw new StartupException(e.getMessage(), e);
            }
        }

        private static NettyServerBuilder secured(NettyServerBuilder builder, Optional<ReloadingTls> tls) {
            tls.ifPresent(material -> builder.sslContext(material.sslContext()));
            return builder;
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

        /**
         * Refuses to start while a secret file the server reads is readable by group or others,
         * unless {@code allow-readable-secrets} accepts that; then each exposure is a warning.
         */
        private List<String> checkSecretFiles() throws StartupException {
            List<SecretFiles.Exposure> exposed = new ArrayList<>();
            try {
                SecretFiles.exposure("the admin tokens file", config.effectiveAdminTokens()).ifPresent(exposed::add);
                if (config.audit().enabled()) {
                    SecretFiles.exposure("the decision-log key", config.effectiveAudit().effectiveKeyFile())
                            .ifPresent(exposed::add);
                }
            } catch (IOException e) {
                throw new StartupException("cannot read the permissions of a secret file: " + e.getMessage(), e);
            }
            List<String> warnings = new ArrayList<>();
            for (SecretFiles.Exposure exposure : exposed) {
                if (!config.allowReadableSecrets()) {
                    throw new StartupException(exposure.describe() + "; a secret must be readable by its owner alone:"
                            + " run chmod 600 " + exposure.file() + ", or start with --allow-readable-secrets (config"
                            + " allow-readable-secrets: true) to accept the risk", null);
                }
                warnings.add(exposure.describe() + " (allowed by allow-readable-secrets)");
            }
            return warnings;
        }

        /** Holds the data directory for this server alone: two writers of one store would undo each other. */
        private DirectoryLock lockDataDir() throws IOException {
            java.nio.file.Path dir = config.policy().dataDir();
            try {
                OwnerOnly.createDirectories(dir);
                return DirectoryLock.acquire(dir);
            } catch (DirectoryLock.HeldException e) {
                throw new StartupException("data directory: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new StartupException("data directory " + dir + " cannot be locked: " + e.getMessage(), e);
            }
        }

        /** Starts shipping the decision log to Kafka when configured; its warnings are JSON lines on stderr. */
        private Optional<KafkaShipper> startShipping(Optional<AuditLog> audit, ObjectMapper json) throws IOException {
            if (config.shipping().isEmpty()) {
                return Optional.empty();
            }
            if (audit.isEmpty()) {
                throw new StartupException("shipping the decision log to Kafka needs the decision log; it is off", null);
            }
            return Optional.of(KafkaShipper.start(audit.get(), config.shipping().get(), warning -> {
                try {
                    System.err.println(json.writeValueAsString(Map.of("time", clock.instant().toString(),
                            "level", "warn", "msg", "decision-log shipping", "detail", warning)));
                } catch (IOException e) {
                    System.err.println(warning);
                }
            }));
        }

        /** Opens the decision log; while it cannot be written, health says NOT_SERVING. */
        private Optional<AuditLog> openAudit(ServingConditions serving, Optional<PdpMetrics> metrics)
                throws AuditLogException {
            if (!config.audit().enabled()) {
                return Optional.empty();
            }
            AuditLog.Listener health = (writable, reason) -> serving.set(ServingConditions.DECISION_LOG_WRITABLE, writable);
            ChainSettings chain = config.effectiveAudit().chain()
                    .withUsedMarker(config.policy().dataDir().resolve(DECISION_LOG_USED_MARKER));
            return Optional.of(AuditLog.open(chain, clock,
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

    /** The address the decision service listens on. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getListenSockets().get(0);
    }

    /** The bundle that decides now, if any. */
    public Optional<Bundle> activeBundle() {
        return engine.activeBundle();
    }

    /** How the active bundle's warm-up went, when it had one. */
    public Optional<WarmupReport> activeWarmup() {
        return engine.activeWarmup();
    }

    /** How the decision port's warm-up before it opened went ({@link FrontDoorWarmup}), when it ran. */
    public Optional<WarmupReport> frontDoorWarmup() {
        return frontDoorWarmup;
    }

    /** Where the poller stands, when one is configured. */
    public Optional<PollState> pollState() {
        return poller.map(BundlePoller::state);
    }

    /** The decision log, unless it is turned off. */
    public Optional<AuditLog> audit() {
        return audit;
    }

    /** The shipper of the decision log to Kafka, when configured: its lag is the gauge to watch. */
    public Optional<KafkaShipper> shipping() {
        return shipping;
    }

    /** How many times changed TLS files were served, and refused, since start. */
    public TlsReloadCounts tlsReloads() {
        return tlsReloads;
    }

    /** The TLS of the decision port, when it serves TLS. */
    public Optional<ReloadingTls> decisionTls() {
        return tls.decision();
    }

    /** The JVM this PDP runs on, as {@link JitSafeJdk} found it. */
    public JitSafeJdk.Report jdk() {
        return jdk;
    }

    /** The secret files found readable by group or others, started with anyway because that was allowed. */
    public List<String> secretFileWarnings() {
        return secretFileWarnings;
    }

    /** Blocks until the server has shut down. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** How long {@link #drain()} may take, as configured ({@code --shutdown-grace}). */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    /**
     * Stops as {@link Drain} describes, within the configured grace period: NOT_SERVING, new calls
     * refused, calls in flight finished and on record, the log stopped cleanly, everything released.
     * Later calls return the same outcome.
     */
    public Drain.Outcome drain() {
        return drain.run(shutdownGrace);
    }

    /** Whether a drain has begun: health says NOT_SERVING and new calls are refused. */
    public boolean draining() {
        return drain.begun();
    }

    /** Drains ({@link #drain()}). */
    @Override
    public void close() {
        drain();
    }
}
