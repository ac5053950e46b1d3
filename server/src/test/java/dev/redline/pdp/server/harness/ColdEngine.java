package dev.redline.pdp.server.harness;

import dev.redline.pdp.server.engine.EngineLimits;

/**
 * The engine limits a PDP ships with, but serving revisions cold: a test that is not about the
 * warm-up would otherwise wait up to its timeout on every activation.
 */
public final class ColdEngine {
    private ColdEngine() {}

    public static EngineLimits limits() {
        EngineLimits shipped = EngineLimits.defaults();
        return new EngineLimits(shipped.instances(), shipped.evalTimeout(), shipped.queueTimeout(),
                shipped.maxInputBytes(), shipped.maxMemoryBytes());
    }
}
