package dev.redline.pdp.server.policy;

/** A bundle was refused or could not be activated; the active bundle is unchanged. */
public final class ActivationException extends Exception {

    /** How a caller should read the refusal. */
    public enum Kind {
        /** The bundle itself is invalid (archive, manifest, signature, Wasm, data, smoke evaluation). */
        INVALID_BUNDLE,
        /** The named bundle is not in the store, or there is nothing to roll back to. */
        NOT_FOUND,
        /** The store on disk failed. */
        STORAGE,
        /** The impact gate found that the bundle would allow what the logged decisions denied. */
        GATE_REFUSED
    }

    private final Kind kind;

    public ActivationException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
