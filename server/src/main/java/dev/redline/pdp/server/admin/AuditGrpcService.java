package dev.redline.pdp.server.admin;

import com.google.protobuf.Duration;
import dev.redline.pdp.api.v1.AuditServiceGrpc;
import dev.redline.pdp.api.v1.BundleRef;
import dev.redline.pdp.api.v1.DecisionRecord;
import dev.redline.pdp.api.v1.GetDecisionRequest;
import dev.redline.pdp.api.v1.ListDecisionsRequest;
import dev.redline.pdp.server.audit.AuditReader;
import dev.redline.pdp.server.audit.DecisionQuery;
import dev.redline.pdp.server.audit.LoggedDecision;
import dev.redline.pdp.server.protobuf.JsonValues;
import dev.redline.pdp.server.protobuf.ProtoTime;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@code pdp.v1.AuditService} over gRPC: reads the decision log back. */
public final class AuditGrpcService extends AuditServiceGrpc.AuditServiceImplBase {
    private final Optional<AuditReader> reader;

    /** @param reader the log's reader; empty when the log is turned off */
    public AuditGrpcService(Optional<AuditReader> reader) {
        this.reader = reader;
    }

    @Override
    public void getDecision(GetDecisionRequest request, StreamObserver<DecisionRecord> responses) {
        if (reader.isEmpty()) {
            responses.onError(logOff());
            return;
        }
        try {
            Optional<LoggedDecision> found = reader.get().find(request.getDecisionId());
            if (found.isEmpty()) {
                responses.onError(Status.NOT_FOUND.withDescription("decision " + request.getDecisionId()
                        + " is not in the decision log (never made, or deleted by retention)").asRuntimeException());
                return;
            }
            responses.onNext(toProto(found.get()));
            responses.onCompleted();
        } catch (IllegalArgumentException e) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription("decision_id \"" + request.getDecisionId()
                    + "\" is not a UUID").asRuntimeException());
        } catch (IOException e) {
            responses.onError(readFailure(e));
        }
    }

    @Override
    public void listDecisions(ListDecisionsRequest request, StreamObserver<DecisionRecord> responses) {
        if (reader.isEmpty()) {
            responses.onError(logOff());
            return;
        }
        DecisionQuery query = query(request);
        if (query.since().isPresent() && query.until().isPresent() && query.until().get().isBefore(query.since().get())) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription("until (" + query.until().get()
                    + ") is before since (" + query.since().get() + ")").asRuntimeException());
            return;
        }
        ServerCallStreamObserver<DecisionRecord> stream = (ServerCallStreamObserver<DecisionRecord>) responses;
        FlowControl flow = new FlowControl(stream);
        try {
            reader.get().list(query, decision -> {
                if (!flow.awaitReady()) {
                    return false;
                }
                stream.onNext(toProto(decision));
                return true;
            });
        } catch (IOException e) {
            stream.onError(readFailure(e));
            return;
        }
        if (!stream.isCancelled()) {
            stream.onCompleted();
        }
    }

    /**
     * Holds the reading thread while the client is slow, so a large listing is streamed, not
     * buffered in the server. It polls: the call's onReady callbacks are delivered on the very
     * thread that is waiting here, so they could not wake it.
     */
    private static final class FlowControl {
        private final ServerCallStreamObserver<?> stream;

        FlowControl(ServerCallStreamObserver<?> stream) {
            this.stream = stream;
            stream.setOnCancelHandler(() -> {}); // a cancelled listing just stops; no exception on the way out
        }

        /** False when the call was cancelled. */
        boolean awaitReady() {
            while (!stream.isReady() && !stream.isCancelled()) {
                try {
                    TimeUnit.MILLISECONDS.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !stream.isCancelled();
        }
    }

    private static DecisionQuery query(ListDecisionsRequest request) {
        return new DecisionQuery(
                request.hasSince() ? Optional.of(ProtoTime.instant(request.getSince())) : Optional.empty(),
                request.hasUntil() ? Optional.of(ProtoTime.instant(request.getUntil())) : Optional.empty(),
                switch (request.getOutcome()) {
                    case OUTCOME_ALLOWED -> Optional.of(true);
                    case OUTCOME_DENIED -> Optional.of(false);
                    default -> Optional.empty();
                },
                request.getViolationCode().isEmpty() ? Optional.empty() : Optional.of(request.getViolationCode()),
                request.getSubjectId().isEmpty() ? Optional.empty() : Optional.of(request.getSubjectId()),
                request.getLimit(),
                request.getNewestFirst());
    }

    static DecisionRecord toProto(LoggedDecision d) {
        DecisionRecord.Builder record = DecisionRecord.newBuilder()
                .setDecisionId(d.decisionId())
                .setRequestId(d.requestId())
                .setTime(ProtoTime.timestamp(d.time()))
                .setCaller(dev.redline.pdp.api.v1.Caller.newBuilder()
                        .setPeer(d.caller().peer().orElse(""))
                        .setPrincipal(d.caller().principal().orElse(""))
                        .setMethod(d.caller().method().orElse("")))
                .setPath(d.path())
                .addAllMasked(d.masked())
                .setMaskError(d.maskError().orElse(""))
                .setAllow(d.allow())
                .addAllViolationCodes(d.violations())
                .addAllObligationCodes(d.obligations())
                .setBundle(BundleRef.newBuilder()
                        .setName(d.bundle().name())
                        .setRevision(d.bundle().revision())
                        .setDigest(d.bundle().digest()))
                .setEvalDuration(Duration.newBuilder()
                        .setSeconds(d.evalNanos() / 1_000_000_000L)
                        .setNanos((int) (d.evalNanos() % 1_000_000_000L)))
                .setSeq(d.seq())
                .setHash(d.hash())
                .setSegment(d.segment());
        d.nowNanos().ifPresent(record::setNowNs);
        if (d.input().isObject()) {
            record.setInput(JsonValues.toValue(d.input()).getStructValue());
        }
        if (!d.result().isMissingNode()) {
            record.setResult(JsonValues.toValue(d.result()));
        }
        return record.build();
    }

    private static RuntimeException logOff() {
        return Status.FAILED_PRECONDITION.withDescription("the decision log is turned off (--no-audit)")
                .asRuntimeException();
    }

    private static RuntimeException readFailure(IOException e) {
        return Status.INTERNAL.withDescription("the decision log cannot be read: " + e).withCause(e).asRuntimeException();
    }
}
