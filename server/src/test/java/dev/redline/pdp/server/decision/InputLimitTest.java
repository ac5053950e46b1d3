package dev.redline.pdp.server.decision;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** One limit on a request's size: its input JSON and the id and path it carries, together. */
class InputLimitTest {

    @Test
    void aRequestExactlyAtTheLimitIsAccepted() {
        assertDoesNotThrow(() -> new InputLimit(100).check(90, 10));
    }

    @Test
    void theRequestIdAndPathTakeTheirBytesFromTheLimit() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> new InputLimit(100).check(90, 11));

        assertEquals(InvalidRequestException.Kind.INPUT_TOO_LARGE, e.kind());
        assertEquals("input is larger than the limit of 100 bytes of JSON, counting the 11 bytes of its request_id and path",
                e.getMessage());
    }

    @Test
    void anInputAloneOverTheLimitIsRefusedWithTheMessageItAlwaysHad() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> new InputLimit(100).check(101));

        assertEquals("input is larger than the limit of 100 bytes of JSON", e.getMessage());
    }

    @Test
    void sizesNearTheIntegerLimitDoNotOverflowIntoAcceptance() {
        assertThrows(InvalidRequestException.class, () -> new InputLimit(Integer.MAX_VALUE).check(Integer.MAX_VALUE, 1));
    }
}
