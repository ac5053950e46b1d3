package dev.redline.pdp.server.audit;

import dev.redline.pdp.server.audit.chain.AppendReceipt;
import dev.redline.pdp.server.audit.chain.AuditLog;
import dev.redline.pdp.server.audit.chain.AuditUnavailableException;
import dev.redline.pdp.server.audit.chain.PreparedRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.redline.pdp.server.decision.Caller;
import dev.redline.pdp.server.decision.Decision;
import dev.redline.pdp.server.decision.DecisionLog;
import dev.redline.pdp.server.decision.MaskPolicy;
import dev.redline.pdp.server.decision.Obligation;
import dev.redline.pdp.server.decision.Violation;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * Turns a decision into a decision record — masked by the configured pointers and by the mask policy
 * of the bundle that decided (see {@link MaskRules}), with the caller — and appends it to the log.
 *
 * <p>A record holds: {@code decision_id}, {@code request_id}, {@code time}, {@code caller}
 * ({@code peer}, and {@code principal} and {@code method} when verified), {@code trace_id} and
 * {@code span_id} (when the caller sent a valid W3C {@code traceparent}), {@code path},
 * {@code input} (after masking; none when the request had none),
 * {@code masked} (the pointers masked), {@code mask_error} (when the mask policy failed),
 * {@code result} (the raw policy result, absent when undefined), {@code allow},
 * {@code violations} and {@code obligations} (codes), {@code bundle} ({@code name},
 * {@code revision}, {@code digest}), {@code eval_ns} and {@code now_ns} (the {@code time.now_ns}
 * the policy saw, when it read the clock); plus {@code type}, {@code v},
 * {@code seq}, {@code prev} and {@code hash} as every record.
 */
public final class DecisionRecorder implements DecisionLog {
    private final AuditLog log;
    private final MaskRules maskRules;
    private final ObjectMapper json;
    private final Clock clock;

    public DecisionRecorder(AuditLog log, MaskRules maskRules, ObjectMapper json, Clock clock) {
        this.log = log;
        this.maskRules = maskRules;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<AppendReceipt> record(Decision decision, byte[] input, int length, Caller caller,
            MaskPolicy mask) {
        try {
            // no bytes: the request had no input, and its record has none either
            JsonNode asked = length == 0 ? null : json.readTree(input, 0, length);
            return log.append(prepare(decision, asked, caller, mask));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(new AuditUnavailableException(
                    "decision " + decision.decisionId() + " could not be made into a record: " + e.getMessage(), e));
        }
    }

    /** The log's own refusals say why; anything else is unexpected and named as it is. */
    @Override
    public String whyNotRecorded(Throwable failure) {
        return failure instanceof AuditUnavailableException ? failure.getMessage()
                : DecisionLog.super.whyNotRecorded(failure);
    }

    private PreparedRecord prepare(Decision decision, JsonNode input, Caller caller, MaskPolicy mask) {
        ObjectNode event = json.createObjectNode();
        event.put("decision_id", decision.decisionId());
        event.put("path", decision.path());
        if (input != null) {
            event.set("input", input);
        }
        if (!decision.result().isMissingNode()) {
            event.set("result", decision.result().deepCopy()); // masking must not touch the answer itself
        }
        event.put("allow", decision.allow());
        MaskRules.Outcome masking = maskRules.apply(event, mask.answer(event));

        ObjectNode who = json.createObjectNode();
        caller.peer().ifPresent(peer -> who.put("peer", peer));
        caller.principal().ifPresent(principal -> who.put("principal", principal));
        caller.method().ifPresent(method -> who.put("method", method));
        ArrayNode masked = json.createArrayNode();
        masking.masked().forEach(masked::add);
        ArrayNode violations = json.createArrayNode();
        decision.violations().stream().map(Violation::code).forEach(violations::add);
        ArrayNode obligations = json.createArrayNode();
        decision.obligations().stream().map(Obligation::code).forEach(obligations::add);
        ObjectNode bundle = json.createObjectNode()
                .put("name", decision.bundle().name())
                .put("revision", decision.bundle().revision())
                .put("digest", decision.bundle().digest());

        PreparedRecord.Builder record = PreparedRecord.builder(PreparedRecord.DECISION, clock.instant())
                .put("decision_id", decision.decisionId())
                .put("request_id", decision.requestId())
                .put("caller", who)
                .put("path", decision.path())
                .put("masked", masked)
                .put("allow", decision.allow())
                .put("violations", violations)
                .put("obligations", obligations)
                .put("bundle", bundle)
                .put("eval_ns", decision.evalNanos());
        decision.nowNanos().ifPresent(now -> record.put("now_ns", now));
        caller.trace().ifPresent(trace -> record.put("trace_id", trace.traceId()).put("span_id", trace.spanId()));
        if (event.has("input")) {
            record.put("input", event.get("input"));
        }
        if (event.has("result")) {
            record.put("result", event.get("result"));
        }
        masking.error().ifPresent(error -> record.put("mask_error", error));
        return record.build();
    }
}
