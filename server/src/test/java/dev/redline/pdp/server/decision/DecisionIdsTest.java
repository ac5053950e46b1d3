package dev.redline.pdp.server.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DecisionIdsTest {

    @Test
    void isACanonicalLowercaseUuidString() {
        String id = DecisionIds.next();

        assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), id);
        assertEquals(id, UUID.fromString(id).toString());
    }

    @Test
    void isUuidVersion7() {
        String id = DecisionIds.next();

        assertEquals(7, UUID.fromString(id).version(), id);
        assertEquals('7', id.charAt(14), id);
    }

    @Test
    void hasTheRfc4122Variant() {
        String id = DecisionIds.next();

        assertEquals(2, UUID.fromString(id).variant(), id);
        assertTrue("89ab".indexOf(id.charAt(19)) >= 0, id);
    }

    @Test
    void carriesTheUnixMillisecondsItWasMadeAtInItsFirst48Bits() {
        long before = System.currentTimeMillis();
        String id = DecisionIds.next();
        long after = System.currentTimeMillis();

        long millis = UUID.fromString(id).getMostSignificantBits() >>> 16;

        assertTrue(before <= millis && millis <= after, id + " holds " + millis + ", made in [" + before + ", " + after + "]");
    }

    @Test
    void oneHundredThousandIdsAreUnique() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(DecisionIds.next());
        }

        assertEquals(100_000, ids.size());
    }

    @Test
    void idsMadeInALaterMillisecondSortAfterEarlierOnes() throws Exception {
        for (int round = 0; round < 20; round++) {
            String earlier = DecisionIds.next();
            Thread.sleep(2);
            String later = DecisionIds.next();

            assertTrue(later.compareTo(earlier) > 0, later + " should sort after " + earlier);
        }
    }
}
