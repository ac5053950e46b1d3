package dev.redline.pdp.server.decision;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What a {@link MaskPolicy} answered: its raw answer (OPA's mask operations, read by the log's mask
 * rules), nothing (no mask policy, or undefined), or why it failed.
 */
public record MaskAnswer(Optional<JsonNode> answer, Optional<String> failure) {
    public static final MaskAnswer NONE = new MaskAnswer(Optional.empty(), Optional.empty());

    public static MaskAnswer of(JsonNode answer) {
        return new MaskAnswer(Optional.of(answer), Optional.empty());
    }

    public static MaskAnswer failed(String why) {
        return new MaskAnswer(Optional.empty(), Optional.of(why));
    }
}
