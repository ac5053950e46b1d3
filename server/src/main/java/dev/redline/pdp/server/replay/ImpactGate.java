package dev.redline.pdp.server.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.audit.AuditReader;
import dev.redline.pdp.server.audit.chain.AuditLog;
import dev.redline.pdp.server.audit.chain.PreparedRecord;
import dev.redline.pdp.server.engine.LoadedPolicy;
import dev.redline.pdp.server.policy.ActivationException;
import dev.redline.pdp.server.policy.ActivationException.Kind;
import dev.redline.pdp.server.policy.ActivationGate;
import dev.redline.pdp.server.policy.BundleUpload;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * The impact gate: before a gated push activates, the decisions logged in the last {@code window}
 * (the newest {@code maxDecisions} of them) are replayed on the candidate. Any logged deny the
 * candidate would allow refuses the activation, unless the push allows opening; the refusal and a
 * forced activation are both recorded in the decision log ({@value PreparedRecord#GATE} records)
 * before the push is answered. Without a decision log there is nothing to judge by, so a gated push
 * is refused.
 */
public final class ImpactGate implements ActivationGate {
    private static final int EXAMPLES = 5;

    private final Optional<AuditLog> log;
    private final Replayer replayer;
    private final Duration window;
    private final int maxDecisions;
    private final int parallelism;
    private final Clock clock;
    private final ObjectMapper json;

    /**
     * @param parallelism candidate instances evaluating at once (the engine gives a candidate as many
     *     instances as the active bundle has)
     */
    public ImpactGate(Optional<AuditLog> log, Replayer replayer, Duration window, int maxDecisions, int parallelism,
            Clock clock, ObjectMapper json) {
        this.log = log;
        this.replayer = replayer;
        this.window = window;
        this.maxDecisions = maxDecisions;
        this.parallelism = parallelism;
        this.clock = clock;
        this.json = json;
    }

    @Override
    public void check(LoadedPolicy candidate, BundleUpload upload) throws ActivationException {
        String bundle = "bundle " + upload.name() + " (revision " + candidate.bundle().revision() + ", "
                + candidate.bundle().digest() + ")";
        if (log.isEmpty()) {
            throw new ActivationException(Kind.GATE_REFUSED, "activation of " + bundle + " refused by the impact"
                    + " gate: the decision log is off (--no-audit), so there are no decisions to replay", null);
        }
        ReplayCriteria criteria = new ReplayCriteria(Optional.of(clock.instant().minus(window)), Optional.empty(),
                Optional.empty(), maxDecisions);
        ReplayReport report;
        try {
            report = replayer.replay(candidate, DecisionSource.of(AuditReader.of(log.get())), criteria, parallelism,
                    EXAMPLES);
        } catch (IOException e) {
            throw new ActivationException(Kind.GATE_REFUSED, "activation of " + bundle + " refused by the impact"
                    + " gate: the decision log cannot be read: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActivationException(Kind.GATE_REFUSED, "activation of " + bundle + " refused: interrupted"
                    + " while the impact gate replayed the decision log", e);
        }
        if (!report.opensRedLine()) {
            return;
        }
        boolean forced = upload.gate() == BundleUpload.Gate.ALLOW_OPENING;
        String findings = findings(report);
        try {
            record(forced ? "forced" : "refused", upload, report);
        } catch (ActivationException e) {
            // an opening that cannot be put on the record does not happen
            throw new ActivationException(Kind.GATE_REFUSED, "activation of " + bundle + " refused by the impact"
                    + " gate: " + findings + "; and the gate's record could not be written: " + e.getMessage(), e);
        }
        if (!forced) {
            throw new ActivationException(Kind.GATE_REFUSED, "activation of " + bundle + " refused by the impact"
                    + " gate: " + findings + "; pass --allow-opening to activate it anyway", null);
        }
    }

    private String findings(ReplayReport report) {
        ReplayReport.Changes opened = report.of(ChangeKind.DENY_TO_ALLOW);
        return "replaying " + report.evaluated() + " decisions logged in the last " + window.toString().substring(2)
                .toLowerCase() + " (newest " + maxDecisions + " at most), " + opened.count()
                + " logged as deny would be allowed (e.g. " + String.join(", ", opened.examples()) + "); "
                + report.of(ChangeKind.ALLOW_TO_DENY).count() + " allow→deny, "
                + report.of(ChangeKind.VIOLATIONS).count() + " with different violations, "
                + report.of(ChangeKind.OBLIGATIONS).count() + " with different obligations, "
                + report.skippedTotal() + " skipped (masked), " + report.failedTotal() + " failed";
    }

    /** Appends the gate's finding and waits until it is durable. */
    private void record(String outcome, BundleUpload upload, ReplayReport report) throws ActivationException {
        PreparedRecord record = PreparedRecord.builder(PreparedRecord.GATE, clock.instant())
                .put("outcome", outcome)
                .put("pushed_by", upload.origin().pushedBy())
                .put("window_ms", window.toMillis())
                .put("max_decisions", maxDecisions)
                .put("report", ReportJson.of(report, json))
                .build();
        try {
            log.get().append(record).get();
        } catch (ExecutionException e) {
            throw new ActivationException(Kind.STORAGE, String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActivationException(Kind.STORAGE, "interrupted while recording", e);
        }
    }
}
