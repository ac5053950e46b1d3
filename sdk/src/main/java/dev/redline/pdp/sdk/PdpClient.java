package dev.redline.pdp.sdk;

import com.google.protobuf.Struct;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Asks the PDP whether an action is allowed, and why — before the model acts.
 *
 * <pre>{@code
 * try (PdpClient pdp = PdpClient.builder().target("localhost:9191").plaintext().build()) {
 *     Decision decision = pdp.decide(input);                  // never throws for PDP failures
 *     String answer = pdp.enforce(input, () -> model.complete(prompt));  // runs only when allowed
 * }
 * }</pre>
 *
 * <p><b>Fail closed.</b> When the PDP is unreachable, too slow, or answers any error status,
 * {@link #decide} returns a deny with one of the SDK's own codes — {@link Decision#PDP_UNAVAILABLE},
 * {@link Decision#PDP_TIMEOUT}, {@link Decision#PDP_ERROR} — and never an allow. {@link #decideAsync}
 * completes normally with the same deny.
 *
 * <p>Thread-safe; share one client. Closing it shuts down the channel it created (not one passed
 * to {@link Builder#channel}).
 */
public final class PdpClient implements AutoCloseable {
    /** The contract policy's entrypoint. */
    public static final String CONTRACT_PATH = "contract/decision";

    private final ManagedChannel channel;
    private final boolean ownsChannel;
    private final Duration deadline;
    private final CallCredentials credentials;

    private PdpClient(ManagedChannel channel, boolean ownsChannel, Duration deadline, CallCredentials credentials) {
        this.channel = channel;
        this.ownsChannel = ownsChannel;
        this.deadline = deadline;
        this.credentials = credentials;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Decides a contract request. */
    public Decision decide(ContractInput input) {
        return decide(CONTRACT_PATH, input.toStruct(), "");
    }

    /** Decides a contract request, with a correlation id echoed in the decision. */
    public Decision decide(ContractInput input, String requestId) {
        return decide(CONTRACT_PATH, input.toStruct(), requestId);
    }

    /** Decides on any entrypoint of the active bundle, with a raw JSON-like input. */
    public Decision decide(String path, Map<String, ?> input) {
        return decide(path, Structs.toStruct(input), "");
    }

    /** Decides on any entrypoint of the active bundle. */
    public Decision decide(String path, Struct input, String requestId) {
        DecideRequest request = request(path, input, requestId);
        try {
            return toDecision(stub().decide(request));
        } catch (StatusRuntimeException e) {
            return failClosed(e.getStatus(), requestId);
        } catch (RuntimeException e) {
            return Decision.failClosed(Decision.PDP_ERROR, "the PDP call failed: " + e, requestId);
        }
    }

    /** {@link #decide(ContractInput)} without blocking; completes with a deny rather than exceptionally. */
    public CompletableFuture<Decision> decideAsync(ContractInput input) {
        return decideAsync(CONTRACT_PATH, input.toStruct(), "");
    }

    /** {@link #decide(String, Struct, String)} without blocking; completes with a deny rather than exceptionally. */
    public CompletableFuture<Decision> decideAsync(String path, Struct input, String requestId) {
        CompletableFuture<Decision> result = new CompletableFuture<>();
        try {
            DecisionServiceGrpc.newStub(channel).withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
                    .withCallCredentials(credentials)
                    .decide(request(path, input, requestId), new StreamObserver<>() {
                        @Override
                        public void onNext(DecideResponse response) {
                            result.complete(toDecision(response));
                        }

                        @Override
                        public void onError(Throwable t) {
                            result.complete(failClosed(Status.fromThrowable(t), requestId));
                        }

                        @Override
                        public void onCompleted() {
                            result.complete(Decision.failClosed(Decision.PDP_ERROR, "the PDP sent no decision", requestId));
                        }
                    });
        } catch (RuntimeException e) {
            result.complete(Decision.failClosed(Decision.PDP_ERROR, "the PDP call failed: " + e, requestId));
        }
        return result;
    }

    /**
     * Runs {@code action} only when the PDP allows the request.
     *
     * @throws PolicyDeniedException when denied (including the SDK's fail-closed denies); the
     *     action is not run
     */
    public <T> T enforce(ContractInput input, Supplier<T> action) {
        return enforce(input, decision -> action.get());
    }

    /**
     * Runs {@code action} with the allowing decision, so it can honour the obligations (e.g.
     * {@code HUMAN_DECISION_REQUIRED}), only when the PDP allows the request.
     *
     * @throws PolicyDeniedException when denied; the action is not run
     */
    public <T> T enforce(ContractInput input, Function<Decision, T> action) {
        Decision decision = decide(input);
        if (!decision.allowed()) {
            throw new PolicyDeniedException(decision);
        }
        return action.apply(decision);
    }

    private DecisionServiceGrpc.DecisionServiceBlockingStub stub() {
        return DecisionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
                .withCallCredentials(credentials);
    }

    private static DecideRequest request(String path, Struct input, String requestId) {
        return DecideRequest.newBuilder().setPath(Objects.requireNonNull(path, "path"))
                .setInput(Objects.requireNonNull(input, "input"))
                .setRequestId(requestId == null ? "" : requestId).build();
    }

    private static Decision toDecision(DecideResponse response) {
        return new Decision(response.getAllow(),
                response.getViolationsList().stream().map(v -> new Violation(v.getCode(), v.getClause(), v.getMessage())).toList(),
                response.getAllow()
                        ? response.getObligationsList().stream().map(o -> new Obligation(o.getCode(), o.getMessage())).toList()
                        : java.util.List.of(),
                response.getDecisionId(), response.getRequestId(), response.getBundle().getName(),
                response.getBundle().getRevision());
    }

    private static Decision failClosed(Status status, String requestId) {
        String description = status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
        return switch (status.getCode()) {
            case UNAVAILABLE -> Decision.failClosed(Decision.PDP_UNAVAILABLE, "the PDP is unreachable (" + description
                    + "); denied", requestId);
            case DEADLINE_EXCEEDED -> Decision.failClosed(Decision.PDP_TIMEOUT, "the PDP did not answer in time ("
                    + description + "); denied", requestId);
            default -> Decision.failClosed(Decision.PDP_ERROR, "the PDP answered " + description + "; denied", requestId);
        };
    }

    @Override
    public void close() {
        if (ownsChannel) {
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
    }

    /** Configures a {@link PdpClient}. */
    public static final class Builder {
        private String target;
        private ManagedChannel channel;
        private ChannelCredentials channelCredentials = InsecureChannelCredentials.create();
        private Duration deadline = Duration.ofMillis(500);
        private CallCredentials callCredentials;

        private Builder() {}

        /** The PDP's address, e.g. {@code localhost:9191} or {@code dns:///pdp.internal:9191}. */
        public Builder target(String target) {
            this.target = Objects.requireNonNull(target, "target");
            return this;
        }

        /** Uses a channel the caller owns (and closes) instead of creating one. */
        public Builder channel(ManagedChannel channel) {
            this.channel = Objects.requireNonNull(channel, "channel");
            return this;
        }

        /** Unencrypted transport, for a PDP on the same host (the default). */
        public Builder plaintext() {
            this.channelCredentials = InsecureChannelCredentials.create();
            return this;
        }

        /** TLS, trusting the CA certificates in the PEM file {@code caCertificates}. */
        public Builder tls(Path caCertificates) {
            try {
                this.channelCredentials = TlsChannelCredentials.newBuilder().trustManager(caCertificates.toFile()).build();
            } catch (IOException e) {
                throw new UncheckedIOException("CA certificates " + caCertificates + " cannot be read", e);
            }
            return this;
        }

        /**
         * How long a decision may take end to end before the SDK denies with
         * {@link Decision#PDP_TIMEOUT} (default 500 ms).
         */
        public Builder defaultDeadline(Duration deadline) {
            if (deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("deadline must be positive, got " + deadline);
            }
            this.deadline = deadline;
            return this;
        }

        /** Credentials sent with every call, e.g. a bearer token. */
        public Builder callCredentials(CallCredentials credentials) {
            this.callCredentials = credentials;
            return this;
        }

        public PdpClient build() {
            if (channel != null) {
                return new PdpClient(channel, false, deadline, callCredentials);
            }
            if (target == null) {
                throw new IllegalStateException("set target(\"host:port\") or channel(...)");
            }
            return new PdpClient(Grpc.newChannelBuilder(target, channelCredentials).build(), true, deadline, callCredentials);
        }
    }
}
