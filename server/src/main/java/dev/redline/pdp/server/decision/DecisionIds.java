package dev.redline.pdp.server.decision;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered unique decision ids (UUID version 7: 48 bits of Unix milliseconds, 74 random
 * bits), so ids sort by when they were made. ThreadLocalRandom keeps generation off any shared
 * lock on the decision path.
 */
final class DecisionIds {
    private DecisionIds() {}

    static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = System.currentTimeMillis();
        long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
