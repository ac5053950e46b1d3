package dev.redline.pdp.server.audit.shipping;

import dev.redline.pdp.server.audit.chain.AuditKey;
import dev.redline.pdp.server.audit.chain.AuditVerifier;
import dev.redline.pdp.server.audit.chain.ShippedSegment;
import dev.redline.pdp.server.audit.chain.Tampering;
import dev.redline.pdp.server.audit.chain.VerificationReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Verifies every chain in a topic with the log's own verifier, so a record edited, deleted,
 * inserted or reordered in the topic gets the name it would get in a log directory, plus the
 * partition and offset of the message.
 */
public final class TopicVerifier {
    /**
     * One chain's verdict.
     *
     * @param chain the chain id
     * @param report what the verifier found
     * @param key the key its digests were checked with
     * @param messages messages of this chain read
     * @param redelivered exact repeats dropped (sent again after a producer restart)
     * @param where the topic, partition and offset of the message the problem is in, when there is one
     */
    public record ChainReport(String chain, VerificationReport report, String key, long messages, long redelivered,
            Optional<String> where) {
        public boolean ok() {
            return report.ok();
        }
    }

    private final List<AuditKey> keys;

    /** @param keys the keys the replicas seal digests with; each chain is checked with the one its digests name */
    public TopicVerifier(List<AuditKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("verifying a topic needs at least one key");
        }
        this.keys = List.copyOf(keys);
    }

    public List<ChainReport> verify(String bootstrapServers, String topic, Duration timeout) {
        List<ChainReport> reports = new ArrayList<>();
        for (TopicChains.Chain chain : TopicChains.read(bootstrapServers, topic, timeout)) {
            reports.add(verify(chain));
        }
        return reports;
    }

    ChainReport verify(TopicChains.Chain chain) {
        AuditKey key = keyFor(chain.segments());
        VerificationReport report = new AuditVerifier(key).verifyShipped(chain.segments());
        if (!chain.strays().isEmpty()) {
            List<String> notes = new ArrayList<>(report.notes());
            chain.strays().forEach(s -> notes.add("ignored: " + s));
            report = new VerificationReport(report.segments(), report.records(), report.firstSeq(), report.lastSeq(),
                    report.lastHash(), notes, report.problem());
        }
        return new ChainReport(chain.id(), report, key.id(), chain.messages(), chain.redelivered(),
                report.problem().flatMap(p -> where(chain.segments(), p)));
    }

    private AuditKey keyFor(List<ShippedSegment> segments) {
        for (ShippedSegment segment : segments) {
            Optional<String> named = segment.digestKeyId();
            if (named.isPresent()) {
                for (AuditKey key : keys) {
                    if (key.id().equals(named.get())) {
                        return key;
                    }
                }
                return keys.get(0); // the verifier says which key the digest names and which it was given
            }
        }
        return keys.get(0);
    }

    private static Optional<String> where(List<ShippedSegment> segments, Tampering problem) {
        for (ShippedSegment segment : segments) {
            boolean digestFile = problem.file().equals(segment.digestName());
            if (segment.name().equals(problem.file()) || digestFile) {
                return segment.origin(digestFile ? 0 : problem.line());
            }
        }
        return Optional.empty();
    }
}
