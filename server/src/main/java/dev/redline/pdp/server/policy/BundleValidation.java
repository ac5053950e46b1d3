package dev.redline.pdp.server.policy;

import dev.redline.pdp.server.bundle.Bundle;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.bundle.InvalidBundleException;
import dev.redline.pdp.server.engine.LoadedPolicy;
import dev.redline.pdp.server.engine.PolicyEngine;
import dev.redline.pdp.server.engine.PolicyLoadException;
import dev.redline.pdp.server.policy.ActivationException.Kind;

/**
 * What a bundle must pass before it may decide: the reader's checks (archive, limits, manifest,
 * signatures) and the engine's (Wasm, ABI, builtins, entrypoints, data, smoke evaluation). A push
 * and a replay's candidate go through this same path, so a candidate replays only if it could be
 * pushed.
 */
public final class BundleValidation {
    private final BundleReader reader;
    private final PolicyEngine engine;

    public BundleValidation(BundleReader reader, PolicyEngine engine) {
        this.reader = reader;
        this.engine = engine;
    }

    /**
     * Reads and loads {@code archive} with every instance the engine would give it, ready to
     * evaluate but not active. The caller must close it.
     *
     * @throws ActivationException of {@link Kind#INVALID_BUNDLE} naming the check that failed
     */
    public LoadedPolicy load(String name, byte[] archive) throws ActivationException {
        try {
            return prepare(read(name, archive));
        } catch (InvalidBundleException | PolicyLoadException e) {
            throw refusal(name, e);
        }
    }

    Bundle read(String name, byte[] archive) throws InvalidBundleException {
        return reader.read(name, archive);
    }

    LoadedPolicy prepare(Bundle bundle) throws PolicyLoadException {
        return engine.prepare(bundle);
    }

    /** How a push names a bundle that failed a check. */
    static ActivationException refusal(String name, Exception cause) {
        return new ActivationException(Kind.INVALID_BUNDLE, "bundle " + name + " refused: " + cause.getMessage(), cause);
    }
}
