package dev.redline.pdp.server.audit;

import dev.redline.pdp.server.audit.chain.RecordCodec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.redline.pdp.server.decision.BundleRef;
import dev.redline.pdp.server.decision.Caller;
import dev.redline.pdp.server.decision.TraceContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A decision as the log holds it.
 *
 * @param segment the segment file it is in
 * @param seq its place in the chain
 * @param hash its hash
 * @param decisionId the decision id the caller received
 * @param requestId the caller's correlation id
 * @param time when it was decided
 * @param caller who asked
 * @param path the entrypoint evaluated
 * @param input the input after masking ({@code MissingNode} when masked whole)
 * @param masked the JSON pointers that were masked
 * @param maskError why the mask policy failed, when it did (the input and result are then masked whole)
 * @param result the raw policy result after masking ({@code MissingNode} when undefined)
 * @param allow the verdict
 * @param violations violation codes
 * @param obligations obligation codes
 * @param bundle the bundle that decided
 * @param evalNanos time spent in the policy
 * @param nowNanos the {@code time.now_ns} the policy saw, when it read the clock
 */
public record LoggedDecision(
        String segment,
        long seq,
        String hash,
        String decisionId,
        String requestId,
        Instant time,
        Caller caller,
        String path,
        JsonNode input,
        List<String> masked,
        Optional<String> maskError,
        JsonNode result,
        boolean allow,
        List<String> violations,
        List<String> obligations,
        BundleRef bundle,
        long evalNanos,
        OptionalLong nowNanos) {

    /** The subject id in the logged input, if it is there. */
    public Optional<String> subjectId() {
        JsonNode id = input.path("subject").path("id");
        return id.isTextual() ? Optional.of(id.textValue()) : Optional.empty();
    }

    static LoggedDecision from(String segment, RecordCodec.Decoded decoded) {
        JsonNode r = decoded.record();
        JsonNode caller = r.path("caller");
        JsonNode bundle = r.path("bundle");
        return new LoggedDecision(segment, decoded.seq(), decoded.hash(), r.path("decision_id").asText(),
                r.path("request_id").asText(), Instant.parse(r.path("time").asText()),
                new Caller(text(caller.path("peer")), text(caller.path("principal")), text(caller.path("method")),
                        text(r.path("trace_id")).map(id -> new TraceContext(id, r.path("span_id").asText()))),
                r.path("path").asText(),
                r.has("input") ? r.get("input") : MissingNode.getInstance(), texts(r.path("masked")),
                text(r.path("mask_error")), r.has("result") ? r.get("result") : MissingNode.getInstance(),
                r.path("allow").asBoolean(false), texts(r.path("violations")), texts(r.path("obligations")),
                new BundleRef(bundle.path("name").asText(), bundle.path("revision").asText(),
                        bundle.path("digest").asText()),
                r.path("eval_ns").asLong(),
                r.has("now_ns") ? OptionalLong.of(r.get("now_ns").asLong()) : OptionalLong.empty());
    }

    private static Optional<String> text(JsonNode node) {
        return node.isTextual() ? Optional.of(node.textValue()) : Optional.empty();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return List.copyOf(texts);
    }
}
