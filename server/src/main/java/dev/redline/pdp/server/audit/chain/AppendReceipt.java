package dev.redline.pdp.server.audit.chain;

/**
 * A record made durable: where it is and what it chains to.
 *
 * @param segment the segment's file name
 * @param seq its place in the chain
 * @param hash its hash
 */
public record AppendReceipt(String segment, long seq, String hash) {}
