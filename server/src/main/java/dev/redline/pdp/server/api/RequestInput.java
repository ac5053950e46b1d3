package dev.redline.pdp.server.api;

import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.server.decision.Caller;
import dev.redline.pdp.server.decision.InputLimit;

/**
 * The input JSON a {@link DecideRequest} asks about, from whichever form it was sent in: the
 * {@code input} Struct, the {@code input_json} text, or nothing at all, which leaves the buffer
 * empty so the policy sees {@code input} undefined, as OPA does.
 */
final class RequestInput {
    private final StructJsonWriter structs;
    private final InputJsonWriter texts;

    RequestInput(int maxInputBytes) {
        InputLimit limit = new InputLimit(maxInputBytes);
        this.structs = new StructJsonWriter(limit);
        this.texts = new InputJsonWriter(limit);
    }

    /**
     * Writes the request's input into {@code out}, with {@code caller} as its {@code input.caller}
     * when verified and never a {@code caller} of the request's own; zero bytes when it has none.
     */
    void write(DecideRequest request, JsonBuffer out, Caller caller) {
        switch (request.getInputFormCase()) {
            case INPUT -> structs.write(request.getInput(), out, caller);
            case INPUT_JSON -> texts.write(request.getInputJsonBytes(), out, caller);
            case INPUTFORM_NOT_SET -> out.reset();
        }
    }
}
