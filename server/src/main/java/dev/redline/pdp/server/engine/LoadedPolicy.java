package dev.redline.pdp.server.engine;

import dev.redline.pdp.server.bundle.Bundle;
import java.util.Map;

/**
 * A bundle made ready to evaluate: its entrypoints and a pool of instances with its data.
 * Immutable once built; a new bundle gets a new {@code LoadedPolicy}.
 */
final class LoadedPolicy implements AutoCloseable {
    private final Bundle bundle;
    private final Map<String, Integer> entrypoints;
    private final InstancePool pool;

    LoadedPolicy(Bundle bundle, Map<String, Integer> entrypoints, InstancePool pool) {
        this.bundle = bundle;
        this.entrypoints = Map.copyOf(entrypoints);
        this.pool = pool;
    }

    Bundle bundle() {
        return bundle;
    }

    Map<String, Integer> entrypoints() {
        return entrypoints;
    }

    InstancePool pool() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }
}
