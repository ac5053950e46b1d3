package dev.redline.pdp.server.engine.builtins;

import java.util.Map;

/**
 * {@code opa.runtime}: OPA answers with what it knows of the OPA process running the policy (its
 * environment, configuration, version), and with an empty object when the policy is evaluated
 * without an OPA runtime, as through an SDK. A policy decided by the PDP runs in no OPA process,
 * and the PDP's own environment and configuration are not the policy's to read, so it gets the
 * empty object: {@code opa.runtime().env} and {@code .config} are undefined.
 */
final class RuntimeBuiltins {
    private RuntimeBuiltins() {}

    static void addTo(Map<String, HostFunction.Body> builtins) {
        builtins.put("opa.runtime", ops -> Operands.NODES.objectNode());
    }
}
