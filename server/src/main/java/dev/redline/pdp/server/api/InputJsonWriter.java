package dev.redline.pdp.server.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.google.protobuf.ByteString;
import dev.redline.pdp.server.decision.Caller;
import dev.redline.pdp.server.decision.InputLimit;
import dev.redline.pdp.server.decision.InvalidRequestException;
import dev.redline.pdp.server.decision.InvalidRequestException.Kind;
import dev.redline.pdp.server.decision.RequestBounds;
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

    /** How much of the JSON parser's message a refusal quotes. */
    static final int MAX_PARSER_MESSAGE_CHARS = 200;

    private final InputLimit limit;

    InputJsonWriter(InputLimit limit) {
        this.limit = limit;
    }

    /**
     * Writes the input as the policy sees it: as sent, except that a top-level {@code caller} the
     * request carries is cut out in place and the verified one appended ({@link CallerField}). A
     * text without a {@code caller} from an unverified call is left byte for byte as it came.
     *
     * @param utf8 the UTF-8 bytes of {@code input_json}, which protobuf has checked are UTF-8
     * @param fieldBytes the bytes of the request's id and path, which count against the limit too
     */
    void write(ByteString utf8, JsonBuffer out, Caller caller, int fieldBytes) {
        out.reset();
        limit.check(utf8.size(), fieldBytes);
        out.put(utf8);
        TopLevel object = check(out);
        if (object.callerStart >= 0) {
            // The span runs from the caller's name to the next token: the next member's name (the
            // comma after the caller goes with it) or the closing brace (then the comma before goes).
            int from = object.callerStart;
            int to = object.callerEnd;
            if (object.callerWasLast) {
                int before = from - 1;
                while (isWhitespace(out.bytes()[before])) {
                    before--;
                }
                if (out.bytes()[before] == ',') {
                    from = before;
                }
            }
            out.cut(from, to);
            object.closingBrace -= to - from;
            object.members--;
        }
        if (caller.verified()) {
            out.truncate(object.closingBrace);
            CallerField.append(caller, object.members > 0, out);
            out.put((byte) '}');
            limit.check(out.length(), fieldBytes);
        }
    }

    /** Where the input object closes, and where a top-level caller member lies, in the checked text. */
    private static final class TopLevel {
        int members;
        int closingBrace = -1;
        int callerStart = -1;
        int callerEnd = -1;
        boolean callerWasLast;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static TopLevel check(JsonBuffer text) {
        TopLevel object = new TopLevel();
        try (JsonParser parser = FACTORY.createParser(text.bytes(), 0, text.length())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid("input_json is not a JSON object");
            }
            int depth = 1;
            while (depth > 0) {
                JsonToken token = parser.nextToken();
                if (depth == 1 && (token == JsonToken.FIELD_NAME || token == JsonToken.END_OBJECT)) {
                    topLevel(parser, token, object);
                }
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
            // the parser's message may quote what was sent (a duplicate key is named whole)
            throw invalid("input_json is not well-formed JSON: "
                    + RequestBounds.excerpt(e.getOriginalMessage(), MAX_PARSER_MESSAGE_CHARS)
                    + (e.getLocation() == null ? "" : " (at character " + e.getLocation().getCharOffset() + ")"));
        } catch (IOException e) {
            throw invalid("input_json cannot be read: " + RequestBounds.excerpt(String.valueOf(e.getMessage()),
                    MAX_PARSER_MESSAGE_CHARS));
        }
        return object;
    }

    /** Notes a member name or the end of the input object. */
    private static void topLevel(JsonParser parser, JsonToken token, TopLevel object) throws IOException {
        int at = (int) parser.currentTokenLocation().getByteOffset();
        if (object.callerStart >= 0 && object.callerEnd < 0) {
            object.callerEnd = at;
            object.callerWasLast = token == JsonToken.END_OBJECT;
        }
        if (token == JsonToken.END_OBJECT) {
            object.closingBrace = at;
        } else {
            object.members++;
            // the name as decoded, so an escaped spelling of "caller" is caught too
            if (CallerField.NAME.equals(parser.currentName())) {
                object.callerStart = at;
            }
        }
    }

    private static InvalidRequestException invalid(String message) {
        return new InvalidRequestException(Kind.INVALID_INPUT, message);
    }
}
