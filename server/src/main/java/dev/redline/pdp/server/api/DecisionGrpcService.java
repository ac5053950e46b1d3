package dev.redline.pdp.server.api;

import com.google.protobuf.Duration;
import dev.redline.pdp.api.v1.BundleRef;
import dev.redline.pdp.api.v1.DecideBatchItem;
import dev.redline.pdp.api.v1.DecideBatchRequest;
import dev.redline.pdp.api.v1.DecideBatchResponse;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.api.v1.Obligation;
import dev.redline.pdp.api.v1.Violation;
import dev.redline.pdp.server.decision.Caller;
import dev.redline.pdp.server.decision.Decision;
import dev.redline.pdp.server.decision.RecordedDecisions;
import dev.redline.pdp.server.protobuf.JsonValues;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code pdp.v1.DecisionService} over gRPC: protobuf in, {@link RecordedDecisions}, protobuf out.
 *
 * <p>The answer is sent from the callback of the decision's future, which completes only once the
 * decision is on record (see {@link RecordedDecisions}); no gRPC thread waits for the disk. A
 * decision that could not be recorded fails the call (or, in a batch, the item) UNAVAILABLE.
 */
public final class DecisionGrpcService extends DecisionServiceGrpc.DecisionServiceImplBase {
    private final RecordedDecisions decisions;
    private final RequestInput inputs;
    private final int maxBatchItems;
    private final int maxBatchBytes;
    private final ClientShares shares;
    private final ThreadLocal<JsonBuffer> buffers = ThreadLocal.withInitial(() -> new JsonBuffer(4096));

    /**
     * @param maxClientConcurrency the most decisions one client may have in flight
     *     ({@link ClientShares}); 0 for no limit
     */
    public DecisionGrpcService(RecordedDecisions decisions, int maxInputBytes, int maxBatchItems, int maxBatchBytes,
            int maxClientConcurrency) {
        this.decisions = decisions;
        this.inputs = new RequestInput(maxInputBytes);
        this.maxBatchItems = maxBatchItems;
        this.maxBatchBytes = maxBatchBytes;
        this.shares = new ClientShares(maxClientConcurrency);
    }

    @Override
    public void decide(DecideRequest request, StreamObserver<DecideResponse> responses) {
        ClientShares.Share share;
        try {
            share = shares.acquire(CallerIdentity.clientKey(), 1);
        } catch (StatusRuntimeException refused) {
            responses.onError(refused);
            return;
        }
        CompletableFuture<Decision> decided;
        try {
            decided = decideOne(request, CallArrival.current(), deadlineNanos(), CallerIdentity.current());
        } catch (RuntimeException e) {
            shares.release(share, 1);
            responses.onError(GrpcStatuses.of(e).asRuntimeException());
            return;
        }
        decided.whenComplete((decision, failure) -> {
            shares.release(share, 1);
            if (failure != null) {
                responses.onError(GrpcStatuses.of(failure).asRuntimeException());
            } else {
                responses.onNext(toResponse(decision));
                responses.onCompleted();
            }
        });
    }

    @Override
    public void decideBatch(DecideBatchRequest batch, StreamObserver<DecideBatchResponse> responses) {
        if (batch.getRequestsCount() > maxBatchItems) {
            responses.onError(Status.INVALID_ARGUMENT
                    .withDescription("batch holds " + batch.getRequestsCount() + " requests; the limit is "
                            + maxBatchItems + " (--max-batch)")
                    .asRuntimeException());
            return;
        }
        // what one call may cost, request ids and paths included, not only how many items it holds
        int bytes = batch.getSerializedSize();
        if (bytes > maxBatchBytes) {
            responses.onError(Status.RESOURCE_EXHAUSTED
                    .withDescription("batch holds " + bytes + " bytes of requests; the limit is " + maxBatchBytes
                            + " (--max-batch-bytes)")
                    .asRuntimeException());
            return;
        }
        int count = batch.getRequestsCount();
        ClientShares.Share share;
        try {
            share = shares.acquire(CallerIdentity.clientKey(), count);
        } catch (StatusRuntimeException refused) {
            responses.onError(refused);
            return;
        }
        long arrived = CallArrival.current();
        long deadline = deadlineNanos();
        Caller caller = CallerIdentity.current();
        @SuppressWarnings("unchecked")
        CompletableFuture<Decision>[] decided = new CompletableFuture[count];
        for (int i = 0; i < count; i++) {
            try {
                // only the first item queued; the others waited for their predecessors, not for capacity
                long itemArrived = i == 0 ? arrived : System.nanoTime();
                decided[i] = decideOne(batch.getRequests(i), itemArrived, deadline, caller);
            } catch (RuntimeException e) {
                decided[i] = CompletableFuture.failedFuture(e);
            }
        }
        CompletableFuture.allOf(decided).whenComplete((done, anyFailure) -> {
            shares.release(share, count);
            DecideBatchResponse.Builder answer = DecideBatchResponse.newBuilder();
            for (int i = 0; i < count; i++) {
                DecideBatchItem.Builder item = answer.addItemsBuilder();
                if (decided[i].isCompletedExceptionally()) {
                    item.setStatus(rpcStatus(GrpcStatuses.of(failureOf(decided[i]))));
                } else {
                    item.setResponse(toResponse(decided[i].join())).setStatus(com.google.rpc.Status.getDefaultInstance());
                }
            }
            responses.onNext(answer.build());
            responses.onCompleted();
        });
    }

    private CompletableFuture<Decision> decideOne(DecideRequest request, long arrivedNanos, long deadlineNanos,
            Caller caller) {
        JsonBuffer input = buffers.get();
        inputs.write(request, input, caller);
        return decisions.decide(request.getRequestId(), request.getPath(), input.bytes(), input.length(),
                arrivedNanos, deadlineNanos, caller);
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        try {
            future.join();
            return new IllegalStateException("the decision did not fail");
        } catch (CompletionException | CancellationException e) {
            return e.getCause() == null ? e : e.getCause();
        }
    }

    private static DecideResponse toResponse(Decision decision) {
        DecideResponse.Builder response = DecideResponse.newBuilder()
                .setDecisionId(decision.decisionId())
                .setRequestId(decision.requestId())
                .setPath(decision.path())
                .setAllow(decision.allow())
                .setBundle(BundleRef.newBuilder()
                        .setName(decision.bundle().name())
                        .setRevision(decision.bundle().revision())
                        .setDigest(decision.bundle().digest()))
                .setEvalDuration(Duration.newBuilder()
                        .setSeconds(decision.evalNanos() / 1_000_000_000L)
                        .setNanos((int) (decision.evalNanos() % 1_000_000_000L)));
        for (var v : decision.violations()) {
            response.addViolations(Violation.newBuilder().setCode(v.code()).setClause(v.clause()).setMessage(v.message()));
        }
        for (var o : decision.obligations()) {
            response.addObligations(Obligation.newBuilder().setCode(o.code()).setMessage(o.message()));
        }
        if (!decision.result().isMissingNode()) {
            response.setResult(JsonValues.toValue(decision.result()))
                    .setResultJson(decision.result().toString()); // Jackson writes big integers digit for digit
        }
        return response.build();
    }

    private static com.google.rpc.Status rpcStatus(Status status) {
        return com.google.rpc.Status.newBuilder()
                .setCode(status.getCode().value())
                .setMessage(status.getDescription() == null ? "" : status.getDescription())
                .build();
    }

    /** The caller's deadline as a nanoTime, or far in the future when it set none. */
    private static long deadlineNanos() {
        Deadline deadline = Context.current().getDeadline();
        long now = System.nanoTime();
        return deadline == null ? now + TimeUnit.DAYS.toNanos(1) : now + deadline.timeRemaining(TimeUnit.NANOSECONDS);
    }
}
