package dev.redline.pdp.server.audit.chain;

/**
 * The first thing wrong with a log, named precisely enough to find it: the file, the line, the
 * record's seq, the kind of damage and the facts behind the verdict.
 *
 * @param kind what was done to the log
 * @param file the segment or digest file
 * @param line 1-based line in {@code file}; 0 when the problem is the file as a whole
 * @param seq the seq the line states; -1 when it states none
 * @param detail the facts
 */
public record Tampering(Kind kind, String file, int line, long seq, String detail) {

    /** The kinds of damage a verifier tells apart. */
    public enum Kind {
        /** A record's content no longer matches its hash, or records were rewritten and re-hashed. */
        EDITED("edited"),
        /** Records are missing from the middle of the chain. */
        DELETED("deleted"),
        /** A line that is not part of the chain: forged, copied or replayed. */
        INSERTED("inserted"),
        /** Records are all there but out of order. */
        REORDERED("reordered"),
        /** A segment ends early: a cut-off last line, or fewer records than its digest sealed. */
        TRUNCATED("truncated"),
        /** A whole segment is gone and no retention record accounts for it. */
        MISSING_SEGMENT("missing segment"),
        /** A digest file was edited, forged with another key, or removed. */
        DIGEST_ALTERED("digest altered");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** e.g. {@code 00000001.jsonl line 3 (seq 3): edited: its content does not match its hash}. */
    public String message() {
        StringBuilder text = new StringBuilder(file);
        if (line > 0) {
            text.append(" line ").append(line);
        }
        if (seq >= 0) {
            text.append(" (seq ").append(seq).append(')');
        }
        return text.append(": ").append(kind.word()).append(": ").append(detail).toString();
    }

    @Override
    public String toString() {
        return message();
    }
}
