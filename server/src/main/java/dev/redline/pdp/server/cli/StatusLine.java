package dev.redline.pdp.server.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** How every CLI command reports a failed call: one line, the status code and what the server said. */
final class StatusLine {
    private StatusLine() {}

    static String of(StatusRuntimeException e) {
        Status status = e.getStatus();
        return status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
    }
}
