/**
 * A generic tamper-evident record log: records hash-chained in segment files, each sealed segment
 * covered by an HMAC digest under the log's key, recovered after a crash, cut by retention, and
 * verified offline. It knows nothing of decisions; {@code audit} puts decisions in it.
 *
 * <p>The seam others use: {@link dev.redline.pdp.server.audit.chain.AuditLog} (open, append, the
 * durable horizon) with {@link dev.redline.pdp.server.audit.chain.ChainSettings} and
 * {@link dev.redline.pdp.server.audit.chain.PreparedRecord}; the
 * {@link dev.redline.pdp.server.audit.chain.AuditVerifier} and its report; and, for readers of
 * records, the segment files, their lines, digests and the record codec. The verifier lives here,
 * not in a package of its own, because it re-derives exactly what the writer makes (the record
 * encoding, the chain, the digests, the retention records); apart, all of that would have to be
 * public.
 */
package dev.redline.pdp.server.audit.chain;
