package dev.redline.pdp.server.api;

import dev.redline.pdp.server.audit.AuditUnavailableException;
import dev.redline.pdp.server.decision.InvalidRequestException;
import dev.redline.pdp.server.engine.EvaluationException;
import io.grpc.Status;
import java.util.concurrent.CompletionException;

/** The gRPC status for each way a decision can fail; the description is the user-facing fact. */
final class GrpcStatuses {
    private GrpcStatuses() {}

    static Status of(EvaluationException e) {
        Status status = switch (e.kind()) {
            case UNKNOWN_ENTRYPOINT -> Status.NOT_FOUND;
            case INPUT_TOO_LARGE, NO_INSTANCE_AVAILABLE -> Status.RESOURCE_EXHAUSTED;
            case DEADLINE_EXCEEDED -> Status.DEADLINE_EXCEEDED;
            case NO_ACTIVE_BUNDLE -> Status.UNAVAILABLE;
            case ENGINE_FAILURE -> Status.INTERNAL;
        };
        return status.withDescription(e.getMessage());
    }

    static Status of(InvalidRequestException e) {
        Status status = switch (e.kind()) {
            case INVALID_PATH, INVALID_INPUT -> Status.INVALID_ARGUMENT;
            case INPUT_TOO_LARGE -> Status.RESOURCE_EXHAUSTED;
        };
        return status.withDescription(e.getMessage());
    }

    static Status unexpected(RuntimeException e) {
        return Status.INTERNAL.withDescription("decision failed: " + e).withCause(e);
    }

    /**
     * A decision that was made but could not be recorded: withheld. UNAVAILABLE, because it is the
     * PDP that cannot answer for now, not the request that is wrong; a caller denies and may retry.
     */
    static Status notRecorded(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String why = cause instanceof AuditUnavailableException ? cause.getMessage() : "recording it failed: " + cause;
        return Status.UNAVAILABLE.withDescription("the decision was made but not recorded, so it is withheld: " + why)
                .withCause(cause);
    }
}
