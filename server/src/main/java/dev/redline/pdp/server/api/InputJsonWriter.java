package dev.redline.pdp.server.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.google.protobuf.ByteString;
import dev.redline.pdp.server.decision.InputLimit;
import dev.redline.pdp.server.decision.InvalidRequestException;
import dev.redline.pdp.server.decision.InvalidRequestException.Kind;
import java.io.IOException;

/**
 * Copies a request's {@code input_json} text into a {@link JsonBuffer} as it came, once it is known
 * to be one JSON object the policy may be given. The text is checked, never re-encoded, so its
 * numbers reach the policy digit for digit.
 */
final class InputJsonWriter {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final InputLimit limit;

    InputJsonWriter(InputLimit limit) {
        this.limit = limit;
    }

    /** @param utf8 the UTF-8 bytes of {@code input_json}, which protobuf has checked are UTF-8 */
    void write(ByteString utf8, JsonBuffer out) {
        out.reset();
        limit.check(utf8.size());
        out.put(utf8);
        check(out);
    }

    private static void check(JsonBuffer text) {
        try (JsonParser parser = FACTORY.createParser(text.bytes(), 0, text.length())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid("input_json is not a JSON object");
            }
            int depth = 1;
            while (depth > 0) {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    if (++depth > StructJsonWriter.MAX_DEPTH) {
                        throw invalid("input_json is nested more than " + StructJsonWriter.MAX_DEPTH + " levels deep");
                    }
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    depth--;
                }
            }
            if (parser.nextToken() != null) {
                throw invalid("input_json holds more than one JSON value; send one object");
            }
        } catch (JsonProcessingException e) {
            throw invalid("input_json is not well-formed JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (at character " + e.getLocation().getCharOffset() + ")"));
        } catch (IOException e) {
            throw invalid("input_json cannot be read: " + e.getMessage());
        }
    }

    private static InvalidRequestException invalid(String message) {
        return new InvalidRequestException(Kind.INVALID_INPUT, message);
    }
}
