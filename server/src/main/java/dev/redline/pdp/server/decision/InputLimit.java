package dev.redline.pdp.server.decision;

import dev.redline.pdp.server.decision.InvalidRequestException.Kind;

/**
 * The largest input document, as JSON, a request may carry. Front doors check it while they write
 * the input, so an oversized request is refused before it is copied in full.
 *
 * @param maxBytes the limit in bytes of UTF-8 JSON ({@code --max-input-bytes})
 */
public record InputLimit(int maxBytes) {

    /** @throws InvalidRequestException when {@code length} bytes of JSON are over the limit */
    public void check(int length) {
        if (length > maxBytes) {
            throw new InvalidRequestException(Kind.INPUT_TOO_LARGE,
                    "input is larger than the limit of " + maxBytes + " bytes of JSON");
        }
    }
}
