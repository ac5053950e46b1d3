package dev.redline.pdp.server.engine;

import dev.redline.pdp.server.bundle.Bundle;
import java.util.Map;

/**
 * A bundle made ready to evaluate: its entrypoints and a pool of instances with its data,
 * every check passed. {@link PolicyEngine#activate(LoadedPolicy)} makes it the one that decides;
 * one that is never activated must be closed.
 */
public final class LoadedPolicy implements AutoCloseable {
    private final Bundle bundle;
    private final Map<String, Integer> entrypoints;
    private final InstancePool pool;
    private final java.util.Set<String> alwaysUndefined;

    LoadedPolicy(Bundle bundle, Map<String, Integer> entrypoints, InstancePool pool,
            java.util.Set<String> alwaysUndefined) {
        this.bundle = bundle;
        this.entrypoints = Map.copyOf(entrypoints);
        this.pool = pool;
        this.alwaysUndefined = java.util.Set.copyOf(alwaysUndefined);
    }

    public Bundle bundle() {
        return bundle;
    }

    Map<String, Integer> entrypoints() {
        return entrypoints;
    }

    InstancePool pool() {
        return pool;
    }

    /** True when the policy exports the entrypoint {@code path}, e.g. a decision-log mask policy. */
    public boolean exports(String path) {
        return entrypoints.containsKey(path);
    }

    /** The entrypoints the policy exports, by name. */
    public java.util.Set<String> entrypointNames() {
        return new java.util.TreeSet<>(entrypoints.keySet());
    }

    /** What loading found out: the exported entrypoints, and those that answered undefined. */
    public PolicyCheck check() {
        return new PolicyCheck(entrypoints.keySet(), alwaysUndefined);
    }

    @Override
    public void close() {
        pool.close();
    }
}
