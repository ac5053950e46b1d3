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
import dev.redline.pdp.server.decision.Decision;
import dev.redline.pdp.server.decision.DecisionService;
import dev.redline.pdp.server.engine.EvaluationException;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;

/** {@code pdp.v1.DecisionService} over gRPC: protobuf in, {@link DecisionService}, protobuf out. */
public final class DecisionGrpcService extends DecisionServiceGrpc.DecisionServiceImplBase {
    private final DecisionService decisions;
    private final StructJsonWriter inputWriter;
    private final int maxBatchItems;
    private final ThreadLocal<JsonBuffer> buffers = ThreadLocal.withInitial(() -> new JsonBuffer(4096));

    public DecisionGrpcService(DecisionService decisions, int maxInputBytes, int maxBatchItems) {
        this.decisions = decisions;
        this.inputWriter = new StructJsonWriter(maxInputBytes);
        this.maxBatchItems = maxBatchItems;
    }

    @Override
    public void decide(DecideRequest request, StreamObserver<DecideResponse> responses) {
        DecideResponse response;
        try {
            response = decideOne(request, deadlineNanos());
        } catch (EvaluationException e) {
            responses.onError(GrpcStatuses.of(e).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            responses.onError(GrpcStatuses.unexpected(e).asRuntimeException());
            return;
        }
        responses.onNext(response);
        responses.onCompleted();
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
        long deadline = deadlineNanos();
        DecideBatchResponse.Builder answer = DecideBatchResponse.newBuilder();
        for (DecideRequest request : batch.getRequestsList()) {
            DecideBatchItem.Builder item = answer.addItemsBuilder();
            try {
                item.setResponse(decideOne(request, deadline))
                        .setStatus(com.google.rpc.Status.getDefaultInstance());
            } catch (EvaluationException e) {
                item.setStatus(rpcStatus(GrpcStatuses.of(e)));
            } catch (RuntimeException e) {
                item.setStatus(rpcStatus(GrpcStatuses.unexpected(e)));
            }
        }
        responses.onNext(answer.build());
        responses.onCompleted();
    }

    private DecideResponse decideOne(DecideRequest request, long deadlineNanos) {
        JsonBuffer input = buffers.get();
        inputWriter.write(request.getInput(), input);
        Decision decision = decisions.decide(request.getRequestId(), request.getPath(), input.bytes(),
                input.length(), deadlineNanos);
        return toResponse(decision);
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
