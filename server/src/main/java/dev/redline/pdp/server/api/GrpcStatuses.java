package dev.redline.pdp.server.api;

import dev.redline.pdp.server.decision.DecisionNotRecordedException;
import dev.redline.pdp.server.decision.InvalidRequestException;
import dev.redline.pdp.server.decision.NoDecisionException;
import io.grpc.Status;

/** The gRPC status for each way a decision can fail; the description is the user-facing fact. */
final class GrpcStatuses {
    private GrpcStatuses() {}

    /** The status for a request that got no answer, whatever stopped it. */
    static Status of(Throwable failure) {
        if (failure instanceof InvalidRequestException e) {
            return of(e);
        }
        if (failure instanceof NoDecisionException e) {
            return of(e);
        }
        if (failure instanceof DecisionNotRecordedException e) {
            return notRecorded(e);
        }
        return Status.INTERNAL.withDescription("decision failed: " + failure).withCause(failure);
    }

    private static Status of(InvalidRequestException e) {
        Status status = switch (e.kind()) {
            case INVALID_PATH, INVALID_REQUEST_ID, INVALID_INPUT -> Status.INVALID_ARGUMENT;
            case INPUT_TOO_LARGE -> Status.RESOURCE_EXHAUSTED;
        };
        return status.withDescription(e.getMessage());
    }

    private static Status of(NoDecisionException e) {
        Status status = switch (e.kind()) {
            case UNKNOWN_ENTRYPOINT -> Status.NOT_FOUND;
            case INPUT_TOO_LARGE, NO_INSTANCE_AVAILABLE -> Status.RESOURCE_EXHAUSTED;
            case DEADLINE_EXCEEDED -> Status.DEADLINE_EXCEEDED;
            case NO_ACTIVE_BUNDLE -> Status.UNAVAILABLE;
            case ENGINE_FAILURE -> Status.INTERNAL;
        };
        return status.withDescription(e.getMessage());
    }

    /**
     * A decision that was made but could not be recorded: withheld. UNAVAILABLE, because it is the
     * PDP that cannot answer for now, not the request that is wrong; a caller denies and may retry.
     */
    private static Status notRecorded(DecisionNotRecordedException e) {
        return Status.UNAVAILABLE.withDescription(e.getMessage()).withCause(e.getCause());
    }
}
