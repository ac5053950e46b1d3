package dev.redline.pdp.server.audit.chain;

/**
 * The end of the chain so far: the last record's seq and hash. The next record gets
 * {@code seq + 1} and links to {@code hash}.
 */
record ChainPoint(long seq, String hash) {
    /** Before the first record: seq 0, 64 zeros. */
    static final ChainPoint GENESIS = new ChainPoint(0, Sha256.GENESIS);
}
