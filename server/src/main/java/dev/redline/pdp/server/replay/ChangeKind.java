package dev.redline.pdp.server.replay;

/** How a candidate's answer differs from the logged one. */
public enum ChangeKind {
    /** Logged as an allow; the candidate denies. */
    ALLOW_TO_DENY("allow_to_deny", "allow→deny"),
    /** Logged as a deny; the candidate allows: a red line opened. */
    DENY_TO_ALLOW("deny_to_allow", "deny→allow"),
    /** Both deny, for different violation codes. */
    VIOLATIONS("violations_changed", "different violations"),
    /** Both allow, with different obligation codes. */
    OBLIGATIONS("obligations_changed", "different obligations");

    private final String key;
    private final String label;

    ChangeKind(String key, String label) {
        this.key = key;
        this.label = label;
    }

    /** Its name in JSON reports. */
    public String key() {
        return key;
    }

    /** Its name for people. */
    public String label() {
        return label;
    }
}
