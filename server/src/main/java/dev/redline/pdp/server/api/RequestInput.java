package dev.redline.pdp.server.api;

import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.server.decision.Caller;
import dev.redline.pdp.server.decision.InputLimit;
import dev.redline.pdp.server.decision.RequestBounds;

/**
 * The input JSON a {@link DecideRequest} asks about, from whichever form it was sent in: the
 * {@code input} Struct, the {@code input_json} text, or nothing at all, which leaves the buffer
 * empty so the policy sees {@code input} undefined, as OPA does.
 */
final class RequestInput {
    private final StructJsonWriter structs;
    private final InputJsonWriter texts;
    private final InputLimit limit;

    RequestInput(int maxInputBytes) {
        this.limit = new InputLimit(maxInputBytes);
        this.structs = new StructJsonWriter(limit);
        this.texts = new InputJsonWriter(limit);
    }

    /**
     * Writes the request's input into {@code out}, with {@code caller} as its {@code input.caller}
     * when verified and never a {@code caller} of the request's own; zero bytes when it has none.
     *
     * @throws dev.redline.pdp.server.decision.InvalidRequestException when the input is not one
     *     JSON object, or it and the request's id and path are larger than the limit together
     */
    void write(DecideRequest request, JsonBuffer out, Caller caller) {
        int fieldBytes = RequestBounds.fieldBytes(request.getRequestId(), request.getPath());
        switch (request.getInputFormCase()) {
            case INPUT -> structs.write(request.getInput(), out, caller, fieldBytes);
            case INPUT_JSON -> texts.write(request.getInputJsonBytes(), out, caller, fieldBytes);
            case INPUTFORM_NOT_SET -> {
                out.reset();
                limit.check(0, fieldBytes);
            }
        }
    }
}
