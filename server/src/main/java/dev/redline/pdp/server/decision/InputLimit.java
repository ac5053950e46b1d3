package dev.redline.pdp.server.decision;

import dev.redline.pdp.server.decision.InvalidRequestException.Kind;

/**
 * The largest request a caller may send, counted as the JSON of its input document plus the bytes
 * of its request id and path ({@link RequestBounds#fieldBytes}): all three are echoed or recorded,
 * so all three count. Front doors check it while they write the input, so an oversized request is
 * refused before it is copied in full.
 *
 * @param maxBytes the limit in bytes ({@code --max-input-bytes})
 */
public record InputLimit(int maxBytes) {

    /** @throws InvalidRequestException when {@code length} bytes of JSON are over the limit */
    public void check(int length) {
        check(length, 0);
    }

    /**
     * @param length bytes of input JSON written so far
     * @param fieldBytes bytes of the request's id and path
     * @throws InvalidRequestException when together they are over the limit
     */
    public void check(int length, int fieldBytes) {
        if ((long) length + fieldBytes > maxBytes) {
            throw new InvalidRequestException(Kind.INPUT_TOO_LARGE, fieldBytes == 0
                    ? "input is larger than the limit of " + maxBytes + " bytes of JSON"
                    : "input is larger than the limit of " + maxBytes + " bytes of JSON, counting the "
                            + fieldBytes + " bytes of its request_id and path");
        }
    }
}
