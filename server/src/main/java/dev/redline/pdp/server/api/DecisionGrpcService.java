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
import dev.redline.pdp.server.audit.AuditSink;
import dev.redline.pdp.server.audit.Caller;
import dev.redline.pdp.server.decision.Decision;
import dev.redline.pdp.server.decision.DecisionService;
import dev.redline.pdp.server.decision.InvalidRequestException;
import dev.redline.pdp.server.engine.EvaluationException;
import dev.redline.pdp.server.protobuf.JsonValues;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code pdp.v1.DecisionService} over gRPC: protobuf in, {@link DecisionService}, protobuf out.
 *
 * <p>Every decision is recorded in the decision log before it is answered: the response is sent
 * from the callback of the record's future, so no gRPC thread waits for the disk. A decision whose
 * record fails is withheld and the call (or, in a batch, the item) fails UNAVAILABLE. Requests that
 * produce no decision (invalid, unknown path, timeout, ...) are answered with their error and not
 * recorded: there is no verdict to give evidence of.
 */
public final class DecisionGrpcService extends DecisionServiceGrpc.DecisionServiceImplBase {
    private final DecisionService decisions;
    private final AuditSink audit;
    private final StructJsonWriter inputWriter;
    private final int maxBatchItems;
    private final ThreadLocal<JsonBuffer> buffers = ThreadLocal.withInitial(() -> new JsonBuffer(4096));

    /** A decision and the future of its record. */
    private record Recorded(DecideResponse response, CompletableFuture<?> record) {}

    public DecisionGrpcService(DecisionService decisions, AuditSink audit, int maxInputBytes, int maxBatchItems) {
        this.decisions = decisions;
        this.audit = audit;
        this.inputWriter = new StructJsonWriter(maxInputBytes);
        this.maxBatchItems = maxBatchItems;
    }

    @Override
    public void decide(DecideRequest request, StreamObserver<DecideResponse> responses) {
        Recorded recorded;
        try {
            recorded = decideOne(request, CallArrival.current(), deadlineNanos(), CallerIdentity.current());
        } catch (InvalidRequestException e) {
            responses.onError(GrpcStatuses.of(e).asRuntimeException());
            return;
        } catch (EvaluationException e) {
            responses.onError(GrpcStatuses.of(e).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            responses.onError(GrpcStatuses.unexpected(e).asRuntimeException());
            return;
        }
        recorded.record().whenComplete((receipt, failure) -> {
            if (failure != null) {
                responses.onError(GrpcStatuses.notRecorded(failure).asRuntimeException());
            } else {
                responses.onNext(recorded.response());
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
        long arrived = CallArrival.current();
        long deadline = deadlineNanos();
        Caller caller = CallerIdentity.current();
        int count = batch.getRequestsCount();
        Recorded[] recorded = new Recorded[count];
        com.google.rpc.Status[] errors = new com.google.rpc.Status[count];
        CompletableFuture<?>[] records = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
            try {
                // only the first item queued; the others waited for their predecessors, not for capacity
                long itemArrived = i == 0 ? arrived : System.nanoTime();
                recorded[i] = decideOne(batch.getRequests(i), itemArrived, deadline, caller);
                records[i] = recorded[i].record();
            } catch (InvalidRequestException e) {
                errors[i] = rpcStatus(GrpcStatuses.of(e));
                records[i] = CompletableFuture.completedFuture(null);
            } catch (EvaluationException e) {
                errors[i] = rpcStatus(GrpcStatuses.of(e));
                records[i] = CompletableFuture.completedFuture(null);
            } catch (RuntimeException e) {
                errors[i] = rpcStatus(GrpcStatuses.unexpected(e));
                records[i] = CompletableFuture.completedFuture(null);
            }
        }
        CompletableFuture.allOf(records).whenComplete((done, anyFailure) -> {
            DecideBatchResponse.Builder answer = DecideBatchResponse.newBuilder();
            for (int i = 0; i < count; i++) {
                DecideBatchItem.Builder item = answer.addItemsBuilder();
                if (errors[i] != null) {
                    item.setStatus(errors[i]);
                } else if (records[i].isCompletedExceptionally()) {
                    item.setStatus(rpcStatus(GrpcStatuses.notRecorded(failureOf(records[i]))));
                } else {
                    item.setResponse(recorded[i].response()).setStatus(com.google.rpc.Status.getDefaultInstance());
                }
            }
            responses.onNext(answer.build());
            responses.onCompleted();
        });
    }

    private Recorded decideOne(DecideRequest request, long arrivedNanos, long deadlineNanos, Caller caller) {
        JsonBuffer input = buffers.get();
        inputWriter.write(request.getInput(), input);
        Decision decision = decisions.decide(request.getRequestId(), request.getPath(), input.bytes(),
                input.length(), arrivedNanos, deadlineNanos);
        CompletableFuture<?> record = audit.record(decision, input.bytes(), input.length(), caller);
        return new Recorded(toResponse(decision), record);
    }

    private static Throwable failureOf(CompletableFuture<?> future) {
        try {
            future.join();
            return new IllegalStateException("the record did not fail");
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
            response.setResult(JsonValues.toValue(decision.result()));
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
