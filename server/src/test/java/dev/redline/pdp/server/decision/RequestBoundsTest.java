package dev.redline.pdp.server.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rules every request's path and request id meet before any policy runs. */
class RequestBoundsTest {

    @Test
    void aPathOfManySegmentsUnderTheLengthLimitIsAccepted() {
        assertEquals("a/b/c", RequestBounds.entrypoint("a/b/c"));
        assertEquals(PolicyDecider.DEFAULT_PATH, RequestBounds.entrypoint(""));
    }

    @Test
    void aPathOfThousandsOfSegmentsIsRefusedWithoutOverflowingTheStack() {
        String path = "a/".repeat(1_500) + "a";

        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> RequestBounds.entrypoint(path));

        assertEquals(InvalidRequestException.Kind.INVALID_PATH, e.kind());
        assertTrue(e.getMessage().contains("longer than the limit of " + RequestBounds.MAX_PATH_BYTES + " bytes"),
                e.getMessage());
    }

    @Test
    void aPathOfMoreSegmentsThanTheLimitIsRefused() {
        String path = "a/".repeat(RequestBounds.MAX_PATH_SEGMENTS) + "a";

        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> RequestBounds.entrypoint(path));

        assertTrue(e.getMessage().contains("more than " + RequestBounds.MAX_PATH_SEGMENTS + " segments"),
                e.getMessage());
    }

    @Test
    void aPathWithAnEmptySegmentOrABadCharacterIsRefused() {
        for (String path : new String[] {"a//b", "/a", "a/", "../a", "a/.b", "a b", "a/-b", "é"}) {
            assertThrows(InvalidRequestException.class, () -> RequestBounds.entrypoint(path), path);
        }
    }

    @Test
    void aRefusedPathIsQuotedByABoundedPrefix() {
        String path = "x".repeat(10_000) + "!";

        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> RequestBounds.entrypoint(path));

        assertTrue(e.getMessage().length() < 400, e.getMessage());
        assertTrue(e.getMessage().contains("xxxx"), e.getMessage());
    }

    @Test
    void aRequestIdOverItsLimitIsRefusedAndQuotedByABoundedPrefix() {
        String id = "r".repeat(RequestBounds.MAX_REQUEST_ID_BYTES + 1);

        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> RequestBounds.requestId(id));

        assertEquals(InvalidRequestException.Kind.INVALID_REQUEST_ID, e.kind());
        assertTrue(e.getMessage().length() < 400, e.getMessage());
    }

    @Test
    void aRequestIdIsMeasuredInUtf8Bytes() {
        String id = "é".repeat(RequestBounds.MAX_REQUEST_ID_BYTES / 2 + 1);

        assertThrows(InvalidRequestException.class, () -> RequestBounds.requestId(id));
        assertEquals("é".repeat(RequestBounds.MAX_REQUEST_ID_BYTES / 2),
                RequestBounds.requestId("é".repeat(RequestBounds.MAX_REQUEST_ID_BYTES / 2)));
    }
}
