package dev.redline.pdp.server.api;

import dev.redline.pdp.api.v1.DecideRequest;
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

    /** Writes the request's input into {@code out}; zero bytes when it has none. */
    void write(DecideRequest request, JsonBuffer out) {
        switch (request.getInputFormCase()) {
            case INPUT -> structs.write(request.getInput(), out);
            case INPUT_JSON -> texts.write(request.getInputJsonBytes(), out);
            case INPUTFORM_NOT_SET -> out.reset();
        }
    }
}
