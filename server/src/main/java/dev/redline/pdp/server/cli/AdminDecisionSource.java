package dev.redline.pdp.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.google.protobuf.util.JsonFormat;
import dev.redline.pdp.api.v1.DecisionRecord;
import dev.redline.pdp.api.v1.ListDecisionsRequest;
import dev.redline.pdp.server.audit.LoggedDecision;
import dev.redline.pdp.server.decision.BundleRef;
import dev.redline.pdp.server.decision.Caller;
import dev.redline.pdp.server.protobuf.ProtoTime;
import dev.redline.pdp.server.replay.DecisionSource;
import dev.redline.pdp.server.replay.ReplayCriteria;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * Logged decisions read from a running PDP through {@code AuditService.ListDecisions}, with an
 * admin or reader token: only what it has made durable. The input arrives as a protobuf Struct,
 * so its numbers are doubles (see docs/replay.md).
 */
final class AdminDecisionSource implements DecisionSource {
    private final AuditClientOptions client;
    private final ObjectMapper json;

    AdminDecisionSource(AuditClientOptions client, ObjectMapper json) {
        this.client = client;
        this.json = json;
    }

    @Override
    public void forEach(ReplayCriteria criteria, Predicate<LoggedDecision> sink) throws IOException {
        ListDecisionsRequest.Builder request = ListDecisionsRequest.newBuilder();
        criteria.since().ifPresent(t -> request.setSince(ProtoTime.timestamp(t)));
        criteria.until().ifPresent(t -> request.setUntil(ProtoTime.timestamp(t)));
        request.setNewestFirst(criteria.limit() > 0); // a limit takes the newest, as from a directory
        ManagedChannel channel = client.channel();
        try {
            Iterator<DecisionRecord> records = client.stub(channel).listDecisions(request.build());
            while (records.hasNext()) {
                if (!sink.test(logged(records.next()))) {
                    return;
                }
            }
        } catch (StatusRuntimeException e) {
            throw new IOException("reading the decision log through the admin API failed: " + StatusLine.of(e), e);
        } finally {
            try {
                AuditClientOptions.close(channel);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private LoggedDecision logged(DecisionRecord r) throws IOException {
        JsonNode input = r.hasInput() ? json.readTree(JsonFormat.printer().print(r.getInput()))
                : MissingNode.getInstance();
        return new LoggedDecision(r.getSegment(), r.getSeq(), r.getHash(), r.getDecisionId(), r.getRequestId(),
                ProtoTime.instant(r.getTime()),
                new Caller(text(r.getCaller().getPeer()), text(r.getCaller().getPrincipal()),
                        text(r.getCaller().getMethod()), Optional.empty()),
                r.getPath(), input, List.copyOf(r.getMaskedList()), text(r.getMaskError()), MissingNode.getInstance(),
                r.getAllow(), List.copyOf(r.getViolationCodesList()), List.copyOf(r.getObligationCodesList()),
                new BundleRef(r.getBundle().getName(), r.getBundle().getRevision(), r.getBundle().getDigest()),
                r.getEvalDuration().getSeconds() * 1_000_000_000L + r.getEvalDuration().getNanos(),
                r.hasNowNs() ? OptionalLong.of(r.getNowNs()) : OptionalLong.empty());
    }

    private static Optional<String> text(String value) {
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
