package dev.redline.pdp.server.api;

import dev.redline.pdp.server.decision.Caller;

/**
 * The top-level {@code caller} of the policy's input. Only the server writes it: the input writers
 * leave out a {@code caller} the request carries and append this one, for a verified caller only,
 * so a policy that trusts {@code input.caller} cannot be lied to.
 */
final class CallerField {
    static final String NAME = "caller";

    private CallerField() {}

    /**
     * Appends {@code "caller":{"principal":…,"method":…}} when the caller is verified.
     *
     * @param afterMember whether the object being written already holds a member, so a comma goes first
     * @return whether anything was appended
     */
    static boolean append(Caller caller, boolean afterMember, JsonBuffer out) {
        if (!caller.verified()) {
            return false;
        }
        if (afterMember) {
            out.put((byte) ',');
        }
        StructJsonWriter.writeString(NAME, out);
        out.put((byte) ':');
        out.put((byte) '{');
        StructJsonWriter.writeString("principal", out);
        out.put((byte) ':');
        StructJsonWriter.writeString(caller.principal().orElseThrow(), out);
        out.put((byte) ',');
        StructJsonWriter.writeString("method", out);
        out.put((byte) ':');
        StructJsonWriter.writeString(caller.method().orElseThrow(), out);
        out.put((byte) '}');
        return true;
    }
}
