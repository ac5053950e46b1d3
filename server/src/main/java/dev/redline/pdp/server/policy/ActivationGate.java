package dev.redline.pdp.server.policy;

import dev.redline.pdp.server.engine.LoadedPolicy;

/**
 * Asked before a gated push activates its bundle, once the bundle has passed every check and before
 * anything is stored or switched: it may refuse the activation.
 */
@FunctionalInterface
public interface ActivationGate {
    /** A gate that lets everything through (no decision log to judge by, or none configured). */
    ActivationGate NONE = (candidate, upload) -> {};

    /**
     * @param candidate the bundle, loaded and checked, not active
     * @param upload the push, with who made it and whether opening is allowed
     * @throws ActivationException of {@link ActivationException.Kind#GATE_REFUSED} to refuse
     */
    void check(LoadedPolicy candidate, BundleUpload upload) throws ActivationException;
}
