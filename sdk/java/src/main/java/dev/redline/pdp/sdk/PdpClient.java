package dev.redline.pdp.sdk;

import com.google.protobuf.Struct;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Asks the PDP whether an action is allowed, and why, before the model acts.
 *
 * <pre>{@code
 * try (PdpClient pdp = PdpClient.builder().target("localhost:9191").plaintext().build()) {
 *     Decision decision = pdp.decide(input);          // allow / deny / why; never throws for PDP failures
 *     String answer = pdp.enforce(input, () -> model.complete(prompt));   // runs only when allowed
 * }
 * }</pre>
 *
 * <h2>Fail closed</h2>
 *
 * A PDP failure is never an allow. When the PDP is unreachable, does not answer within the
 * deadline, or answers any error status, {@link #decide} returns a deny with one violation of
 * clause {@value Decision#FAIL_CLOSED_CLAUSE} and one of the SDK's own codes:
 *
 * <ul>
 *   <li>{@value Decision#PDP_UNAVAILABLE}: the PDP is unreachable (gRPC {@code UNAVAILABLE}:
 *       connection refused, no route, TLS handshake failure, server shutting down, or this client
 *       closed);
 *   <li>{@value Decision#PDP_TIMEOUT}: no answer within the deadline (gRPC
 *       {@code DEADLINE_EXCEEDED});
 *   <li>{@value Decision#PDP_ERROR}: any other status, e.g. {@code NOT_FOUND} for an entrypoint
 *       the bundle does not have, or {@code INVALID_ARGUMENT}; the message names the status code
 *       and the PDP's description.
 * </ul>
 *
 * {@link #decideAsync} completes normally with the same deny, never exceptionally, and
 * {@link #enforce} throws {@link PolicyDeniedException} for it like for any deny. Only
 * programming errors throw from {@code decide}: a {@code null} argument, or a raw input with no
 * JSON form.
 *
 * <h2>Deadlines</h2>
 *
 * Every call carries a deadline, {@linkplain Builder#defaultDeadline 500 ms by default}: the time
 * the whole decision may take, connection set-up, queueing and evaluation included. The model
 * waits for the PDP, so keep it short; {@link #withDeadline} gives a view of this client with
 * another.
 *
 * <h2>Fleets</h2>
 *
 * A client spreads its decisions round-robin over every address its target resolves to: the
 * replicas given to {@link Builder#targets}, or every address of a DNS name
 * ({@code dns:///pdp.internal:9191}). Only replicas whose gRPC health for the decision service
 * says SERVING are in rotation, so one that stopped, or whose decision log cannot be written, gets
 * no decisions until it is healthy again. A call that never reached a replica (its connection was
 * already gone) is sent to another one; a call that did reach one is never sent again, because the
 * replica may have decided and recorded it: when that replica dies mid-call, the call fails closed.
 *
 * <h2>Lifecycle</h2>
 *
 * A client is thread-safe and cheap to call: share one per process and PDP. Closing it shuts down
 * the channel it created, not one passed to {@link Builder#channel}; after that every decision
 * is a {@value Decision#PDP_UNAVAILABLE} deny.
 */
public final class PdpClient implements AutoCloseable {

    /**
     * Every channel the client creates: round-robin over the addresses its target resolves to,
     * each in rotation only while its gRPC health for the decision service says SERVING. No retry
     * policy: only gRPC's transparent retry applies, which resends a call only when it never
     * reached a PDP, so a decision the PDP may have recorded is never asked twice.
     */
    private static final Map<String, ?> FLEET_SERVICE_CONFIG = Map.of(
            "loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
            "healthCheckConfig", Map.of("serviceName", DecisionServiceGrpc.SERVICE_NAME));

    /** The deadline of a client built without {@link Builder#defaultDeadline}: 500 ms. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofMillis(500);

    /** The gRPC metadata key of the W3C trace context, as {@link #withTraceparent} sends it. */
    public static final Metadata.Key<String> TRACEPARENT =
            Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

    private final ManagedChannel channel;
    private final boolean ownsChannel;
    private final Duration deadline;
    private final CallCredentials credentials;
    private final Optional<ClientInterceptor> trace;

    private PdpClient(ManagedChannel channel, boolean ownsChannel, Duration deadline, CallCredentials credentials) {
        this(channel, ownsChannel, deadline, credentials, Optional.empty());
    }

    private PdpClient(ManagedChannel channel, boolean ownsChannel, Duration deadline, CallCredentials credentials,
            Optional<ClientInterceptor> trace) {
        this.channel = channel;
        this.ownsChannel = ownsChannel;
        this.deadline = deadline;
        this.credentials = credentials;
        this.trace = trace;
    }

    /** Starts configuring a client; {@link Builder#target} or {@link Builder#channel} is required. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- blocking

    /**
     * Asks the PDP, blocking until it answers or the deadline passes.
     *
     * @return the PDP's decision, or the SDK's fail-closed deny when the PDP cannot decide
     */
    public Decision decide(DecisionInput input) {
        return decide(input, "");
    }

    /**
     * Asks the PDP with a correlation id, which the PDP echoes and the decision carries in
     * {@link Decision#requestId}.
     *
     * @param requestId any string, e.g. the id of the incoming model request; {@code ""} for none
     * @return the PDP's decision, or the SDK's fail-closed deny when the PDP cannot decide
     */
    public Decision decide(DecisionInput input, String requestId) {
        DecideRequest request = request(input, requestId);
        try {
            return fromResponse(blockingStub().decide(request), request.getRequestId());
        } catch (StatusRuntimeException e) {
            return failClosed(e.getStatus(), request.getRequestId());
        } catch (RuntimeException e) {
            return Decision.failClosed(Decision.PDP_ERROR, "the PDP call failed: " + e + "; denied",
                    request.getRequestId());
        }
    }

    /** Asks the PDP about any entrypoint, with a raw input; see {@link DecisionInput#of(String, Map)}. */
    public Decision decide(String path, Map<String, ?> input) {
        return decide(DecisionInput.of(path, input));
    }

    /** Asks the PDP about any entrypoint, with a raw input. */
    public Decision decide(String path, Struct input) {
        return decide(DecisionInput.of(path, input));
    }

    // ---------------------------------------------------------------- async

    /**
     * Asks the PDP without blocking. The future always completes normally: with the PDP's
     * decision, or with the SDK's fail-closed deny. It completes on a gRPC callback thread, so
     * dependent stages that block or take long belong on an executor of their own
     * ({@code thenApplyAsync(fn, executor)}).
     */
    public CompletableFuture<Decision> decideAsync(DecisionInput input) {
        return decideAsync(input, "");
    }

    /** {@link #decideAsync(DecisionInput)} with a correlation id; see {@link #decide(DecisionInput, String)}. */
    public CompletableFuture<Decision> decideAsync(DecisionInput input, String requestId) {
        DecideRequest request = request(input, requestId);
        String id = request.getRequestId();
        CompletableFuture<Decision> result = new CompletableFuture<>();
        try {
            asyncStub().decide(request, new StreamObserver<>() {
                @Override
                public void onNext(DecideResponse response) {
                    result.complete(fromResponse(response, id));
                }

                @Override
                public void onError(Throwable t) {
                    result.complete(failClosed(Status.fromThrowable(t), id));
                }

                @Override
                public void onCompleted() {
                    // After onNext this does nothing; without it the PDP sent no decision.
                    result.complete(Decision.failClosed(Decision.PDP_ERROR, "the PDP sent no decision; denied", id));
                }
            });
        } catch (RuntimeException e) {
            result.complete(Decision.failClosed(Decision.PDP_ERROR, "the PDP call failed: " + e + "; denied", id));
        }
        return result;
    }

    /** {@link #decideAsync(DecisionInput)} for any entrypoint, with a raw input. */
    public CompletableFuture<Decision> decideAsync(String path, Map<String, ?> input) {
        return decideAsync(DecisionInput.of(path, input));
    }

    /** {@link #decideAsync(DecisionInput)} for any entrypoint, with a raw input. */
    public CompletableFuture<Decision> decideAsync(String path, Struct input) {
        return decideAsync(DecisionInput.of(path, input));
    }

    // ---------------------------------------------------------------- enforce

    /**
     * Runs {@code action} only when the PDP allows the request, and returns its result.
     *
     * <pre>{@code
     * String answer = pdp.enforce(input, () -> model.complete(prompt));
     * }</pre>
     *
     * Use {@link #enforce(DecisionInput, Function)} when the decision may carry obligations the
     * action must honour.
     *
     * @throws PolicyDeniedException when denied, by the policy or by the SDK failing closed; the
     *     action is not run
     */
    public <T> T enforce(DecisionInput input, Supplier<? extends T> action) {
        Objects.requireNonNull(action, "action");
        return enforce(input, decision -> action.get());
    }

    /**
     * Runs {@code action} with the allowing decision, only when the PDP allows the request, so
     * that it can honour the decision's obligations:
     *
     * <pre>{@code
     * String answer = pdp.enforce(input, decision -> {
     *     String out = model.complete(prompt);
     *     return decision.hasObligation("HUMAN_DECISION_REQUIRED") ? "ADVICE ONLY: " + out : out;
     * });
     * }</pre>
     *
     * @throws PolicyDeniedException when denied, by the policy or by the SDK failing closed; the
     *     action is not run
     */
    public <T> T enforce(DecisionInput input, Function<? super Decision, ? extends T> action) {
        return enforce(input, "", action);
    }

    /**
     * {@link #enforce(DecisionInput, Function)} with a correlation id; see
     * {@link #decide(DecisionInput, String)}.
     *
     * @throws PolicyDeniedException when denied, by the policy or by the SDK failing closed; the
     *     action is not run
     */
    public <T> T enforce(DecisionInput input, String requestId, Function<? super Decision, ? extends T> action) {
        Objects.requireNonNull(action, "action");
        Decision decision = decide(input, requestId);
        if (!decision.allowed()) {
            throw new PolicyDeniedException(decision);
        }
        return action.apply(decision);
    }

    // ---------------------------------------------------------------- configuration

    /** The deadline of every call this client makes. */
    public Duration deadline() {
        return deadline;
    }

    /**
     * A client sharing this one's channel and credentials, with another deadline. Closing the
     * view does nothing; closing this client shuts the shared channel down.
     *
     * @throws IllegalArgumentException if {@code deadline} is not positive
     */
    public PdpClient withDeadline(Duration deadline) {
        return new PdpClient(channel, false, positive(deadline), credentials, trace);
    }

    /**
     * A client sharing this one's channel, credentials and deadline whose calls carry a W3C
     * {@code traceparent} (e.g. {@code 00-<32 hex trace id>-<16 hex span id>-01}); the PDP records
     * its trace and span ids with each decision, so the decision can be joined to the trace of the
     * call it allowed. A malformed value is ignored by the PDP (the decision is still made).
     * Closing the view does nothing.
     */
    public PdpClient withTraceparent(String traceparent) {
        Metadata headers = new Metadata();
        headers.put(TRACEPARENT, Objects.requireNonNull(traceparent, "traceparent"));
        return new PdpClient(channel, false, deadline, credentials,
                Optional.of(MetadataUtils.newAttachHeadersInterceptor(headers)));
    }

    /**
     * Connects to the PDP now instead of on the first decision, waiting at most {@code timeout}.
     * Call it at start-up, so that connection set-up (and, in a fresh JVM, loading the transport)
     * does not eat into the first decision's deadline. Optional: decisions connect by themselves.
     *
     * @return true when connected; false when not connected within {@code timeout} (the client
     *     keeps trying in the background, and decisions meanwhile fail closed)
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean connect(Duration timeout) throws InterruptedException {
        long deadlineNanos = System.nanoTime() + positive(timeout).toNanos();
        while (true) {
            ConnectivityState state = channel.getState(true);
            if (state == ConnectivityState.READY) {
                return true;
            }
            if (state == ConnectivityState.SHUTDOWN) {
                return false;
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            CountDownLatch changed = new CountDownLatch(1);
            channel.notifyWhenStateChanged(state, changed::countDown);
            changed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Shuts down the channel this client created (waiting up to 5 s for calls in flight); does
     * nothing for a channel passed to {@link Builder#channel}.
     */
    @Override
    public void close() {
        if (!ownsChannel) {
            return;
        }
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- internals

    private DecisionServiceGrpc.DecisionServiceBlockingStub blockingStub() {
        var stub = DecisionServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
                .withCallCredentials(credentials);
        return trace.isPresent() ? stub.withInterceptors(trace.get()) : stub;
    }

    private DecisionServiceGrpc.DecisionServiceStub asyncStub() {
        var stub = DecisionServiceGrpc.newStub(channel)
                .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
                .withCallCredentials(credentials);
        return trace.isPresent() ? stub.withInterceptors(trace.get()) : stub;
    }

    private static DecideRequest request(DecisionInput input, String requestId) {
        Objects.requireNonNull(input, "input");
        return DecideRequest.newBuilder()
                .setPath(Objects.requireNonNull(input.path(), "input.path()"))
                .setInput(Objects.requireNonNull(input.toStruct(), "input.toStruct()"))
                .setRequestId(Objects.requireNonNull(requestId, "requestId"))
                .build();
    }

    /**
     * The PDP's answer as a {@link Decision}. Fails closed on a contradictory answer: an allow
     * that lists violations is a deny, and a deny's obligations are dropped.
     */
    static Decision fromResponse(DecideResponse response, String requestId) {
        List<Violation> violations = response.getViolationsList().stream()
                .map(v -> new Violation(v.getCode(), v.getClause(), v.getMessage())).toList();
        boolean allowed = response.getAllow() && violations.isEmpty();
        List<Obligation> obligations = allowed
                ? response.getObligationsList().stream().map(o -> new Obligation(o.getCode(), o.getMessage())).toList()
                : List.of();
        String echoed = response.getRequestId().isEmpty() ? requestId : response.getRequestId();
        return new Decision(allowed, violations, obligations, response.getDecisionId(), echoed,
                response.getBundle().getName(), response.getBundle().getRevision());
    }

    /** The SDK's deny for a call that ended with {@code status}. */
    static Decision failClosed(Status status, String requestId) {
        String description = status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
        Throwable cause = status.getCause();
        if (cause != null && cause.getMessage() != null && !description.contains(cause.getMessage())) {
            description += " [" + cause.getMessage() + "]";
        }
        return switch (status.getCode()) {
            case UNAVAILABLE -> Decision.failClosed(Decision.PDP_UNAVAILABLE,
                    "the PDP is unreachable (" + description + "); denied", requestId);
            case DEADLINE_EXCEEDED -> Decision.failClosed(Decision.PDP_TIMEOUT,
                    "the PDP did not answer in time (" + description + "); denied", requestId);
            default -> Decision.failClosed(Decision.PDP_ERROR,
                    "the PDP answered " + description + "; denied", requestId);
        };
    }

    private static Duration positive(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive, got " + deadline);
        }
        return deadline;
    }

    /**
     * Configures a {@link PdpClient}: where the PDP is ({@link #target} or {@link #channel}), how
     * to reach it ({@link #plaintext}, the default, or {@link #tls}), and how long to wait.
     */
    public static final class Builder {
        private String target;
        private FleetAddresses fleet;
        private ManagedChannel channel;
        private ChannelCredentials channelCredentials;
        private Duration deadline = DEFAULT_DEADLINE;
        private CallCredentials callCredentials;
        private String serverName;

        private Builder() {}

        /**
         * The PDP's address: {@code host:port} (e.g. {@code localhost:9191}) or a gRPC target URI
         * (e.g. {@code dns:///pdp.internal:9191}). The client creates, owns and closes the channel.
         */
        public Builder target(String target) {
            this.target = Objects.requireNonNull(target, "target");
            this.fleet = null;
            return this;
        }

        /**
         * Several PDP replicas, each {@code host:port}; a host with several addresses counts once
         * per address. Decisions are spread round-robin over the replicas whose gRPC health says
         * SERVING; see "Fleets" in the class documentation. The client creates, owns and closes the
         * channel. With {@link #tls}, every replica's certificate must name the first host given.
         *
         * @throws IllegalArgumentException if the list is empty or an address is not host:port
         */
        public Builder targets(List<String> addresses) {
            Objects.requireNonNull(addresses, "addresses");
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("targets(...) needs at least one host:port");
            }
            this.fleet = new FleetAddresses(addresses.stream().map(FleetAddresses.HostPort::parse).toList());
            this.target = fleet.target();
            return this;
        }

        /** {@link #targets(List)} with the addresses as arguments. */
        public Builder targets(String... addresses) {
            return targets(List.of(addresses));
        }

        /**
         * Uses a channel the caller created and closes, e.g. one shared with other clients,
         * instead of creating one. Its transport security is the channel's own: {@link #plaintext}
         * and {@link #tls} do not apply.
         */
        public Builder channel(ManagedChannel channel) {
            this.channel = Objects.requireNonNull(channel, "channel");
            return this;
        }

        /** Unencrypted transport, for a PDP on the same host or a trusted network (the default). */
        public Builder plaintext() {
            this.channelCredentials = InsecureChannelCredentials.create();
            return this;
        }

        /** TLS, trusting the JDK's default certificate authorities. */
        public Builder tls() {
            this.channelCredentials = TlsChannelCredentials.create();
            return this;
        }

        /**
         * TLS, trusting only the certificate authorities in a PEM file; the PDP's certificate
         * must name the host of {@link #target}.
         *
         * @throws UncheckedIOException if the file cannot be read
         * @throws IllegalArgumentException if it holds no usable certificate
         */
        public Builder tls(Path caCertPem) {
            Objects.requireNonNull(caCertPem, "caCertPem");
            try {
                this.channelCredentials = TlsChannelCredentials.newBuilder().trustManager(caCertPem.toFile()).build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the CA certificates in " + caCertPem, e);
            }
            return this;
        }

        /**
         * Mutual TLS: trusts only the certificate authorities in {@code caCertPem} and presents a
         * client certificate, for a PDP that requires one (its {@code --tls-client-ca}). The PDP
         * records the certificate's identity (SPIFFE URI, else DNS name, else subject) as the
         * caller's principal.
         *
         * @param clientCertPem the client's certificate chain, leaf first
         * @param clientKeyPem its private key, PKCS#8 PEM ({@code BEGIN PRIVATE KEY})
         * @throws UncheckedIOException if a file cannot be read
         * @throws IllegalArgumentException if a file holds no usable certificate or key
         */
        public Builder mtls(Path caCertPem, Path clientCertPem, Path clientKeyPem) {
            Objects.requireNonNull(caCertPem, "caCertPem");
            Objects.requireNonNull(clientCertPem, "clientCertPem");
            Objects.requireNonNull(clientKeyPem, "clientKeyPem");
            TlsChannelCredentials.Builder credentials = TlsChannelCredentials.newBuilder();
            try {
                credentials.trustManager(caCertPem.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the CA certificates in " + caCertPem, e);
            }
            try {
                credentials.keyManager(clientCertPem.toFile(), clientKeyPem.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the client certificate " + clientCertPem + " and key "
                        + clientKeyPem, e);
            }
            this.channelCredentials = credentials.build();
            return this;
        }

        /**
         * The name the PDP's certificate must carry when it differs from the host of
         * {@link #target}, e.g. when dialling an IP address; {@code null} for the target's host.
         */
        public Builder tlsServerName(String serverName) {
            this.serverName = serverName;
            return this;
        }

        /**
         * How long each decision may take, end to end, before the SDK denies with
         * {@value Decision#PDP_TIMEOUT} (default {@linkplain #DEFAULT_DEADLINE 500 ms}).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder defaultDeadline(Duration deadline) {
            this.deadline = positive(deadline);
            return this;
        }

        /**
         * Credentials attached to every call, e.g. a bearer token for a PDP behind an
         * authenticating interceptor or proxy; {@code null} for none (the default).
         */
        public Builder callCredentials(CallCredentials credentials) {
            this.callCredentials = credentials;
            return this;
        }

        /** The addresses given to {@link #targets} are this channel's alone, not in the global registry. */
        @SuppressWarnings("deprecation")
        private static void useFleet(ManagedChannelBuilder<?> builder, FleetAddresses fleet) {
            builder.nameResolverFactory(fleet);
        }

        /**
         * The client. Creates no connection yet: the channel connects on the first decision.
         *
         * @throws IllegalStateException if neither or both of {@link #target} and {@link #channel}
         *     are set, or if transport security is set for a channel passed in
         */
        public PdpClient build() {
            if (channel != null) {
                if (target != null) {
                    throw new IllegalStateException("set target(...) or channel(...), not both");
                }
                if (channelCredentials != null) {
                    throw new IllegalStateException(
                            "plaintext(), tls(...) and mtls(...) apply to a channel the client creates, not to channel(...)");
                }
                return new PdpClient(channel, false, deadline, callCredentials);
            }
            if (target == null) {
                throw new IllegalStateException("set target(\"host:port\") or channel(...)");
            }
            ChannelCredentials transport = channelCredentials == null ? InsecureChannelCredentials.create()
                    : channelCredentials;
            ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(target, transport)
                    .userAgent("redline-pdp-sdk-java")
                    .defaultServiceConfig(FLEET_SERVICE_CONFIG)
                    .disableServiceConfigLookUp()
                    .enableRetry();
            if (serverName != null) {
                builder.overrideAuthority(serverName);
            }
            if (fleet != null) {
                useFleet(builder, fleet);
            }
            return new PdpClient(builder.build(), true, deadline, callCredentials);
        }
    }
}
