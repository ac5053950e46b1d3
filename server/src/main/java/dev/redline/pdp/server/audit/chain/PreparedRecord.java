package dev.redline.pdp.server.audit.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.Collections;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A record made ready to be chained: every member already in canonical form except {@code seq}
 * and {@code prev}, which only the writer can give because only it knows the order. The
 * serialisation happens on the caller's thread, so the single writer thread only concatenates and
 * hashes.
 *
 * @param type what the record is about: {@value #DECISION}, {@value #RETENTION}, {@value #REPAIR}, {@value #RESUMED},
 *     {@value #GATE}, {@value #SHADOW} or {@value #STOPPED}
 * @param time when it happened
 * @param members every member but {@code seq}, {@code prev} and {@code hash}, name → canonical JSON
 */
public record PreparedRecord(String type, Instant time, SortedMap<String, byte[]> members) {
    public static final String DECISION = "decision";
    public static final String RETENTION = "retention";
    public static final String REPAIR = "repair";
    /** The log is written again after a failure; decisions were refused from {@code failed_at}. */
    public static final String RESUMED = "resumed";
    /** The impact gate refused an activation, or it was forced past the gate. */
    public static final String GATE = "gate";

    /**
     * The server stopped deliberately and wrote nothing after it: the last record of a run that ended
     * cleanly. A run whose log ends otherwise was killed, crashed or lost power.
     */
    public static final String STOPPED = "stopped";

    /** A shadowed bundle answered a decision differently from the active one. */
    public static final String SHADOW = "shadow";
    /** The record format; a reader refuses versions it does not know. */
    public static final int FORMAT_VERSION = 1;

    static final Set<String> WRITER_MEMBERS = Set.of("seq", "prev", "hash");

    public PreparedRecord {
        members = Collections.unmodifiableSortedMap(new TreeMap<>(members));
    }

    /** Starts a record of {@code type} at {@code time}; {@code type}, {@code time} and {@code v} are set. */
    public static Builder builder(String type, Instant time) {
        return new Builder(type, time);
    }

    /** Collects members; values are serialised as they are put. */
    public static final class Builder {
        private final String type;
        private final Instant time;
        private final TreeMap<String, byte[]> members = new TreeMap<>();

        private Builder(String type, Instant time) {
            this.type = type;
            this.time = time;
            put("type", type);
            put("time", time.toString());
            put("v", FORMAT_VERSION);
        }

        public Builder put(String name, JsonNode value) {
            if (WRITER_MEMBERS.contains(name)) {
                throw new IllegalArgumentException("\"" + name + "\" is set by the log writer");
            }
            members.put(name, CanonicalJson.bytes(value));
            return this;
        }

        public Builder put(String name, String value) {
            return put(name, JsonNodeFactory.instance.textNode(value));
        }

        public Builder put(String name, long value) {
            return put(name, JsonNodeFactory.instance.numberNode(value));
        }

        public Builder put(String name, boolean value) {
            return put(name, JsonNodeFactory.instance.booleanNode(value));
        }

        public PreparedRecord build() {
            return new PreparedRecord(type, time, members);
        }
    }
}
