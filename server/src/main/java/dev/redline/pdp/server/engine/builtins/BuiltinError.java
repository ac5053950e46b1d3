package dev.redline.pdp.server.engine.builtins;

/**
 * A builtin refused its operands, as OPA's builtins return a non-halting error: in OPA's Wasm
 * (which evaluates without strict builtin errors) the call is then undefined, and so is every rule
 * that needs it, so the decision falls to the policy's default.
 */
public final class BuiltinError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BuiltinError(String builtin, String message) {
        super(builtin + ": " + message, null, false, false);
    }
}
