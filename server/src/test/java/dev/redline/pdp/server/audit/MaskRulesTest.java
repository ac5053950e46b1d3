package dev.redline.pdp.server.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.redline.pdp.server.decision.MaskAnswer;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The mask rules as a table: configured pointers and a mask policy's answer, an event in, the event logged out. */
class MaskRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String EVENT = """
            {"decision_id": "d-1", "path": "contract/decision", "allow": false,
             "input": {"subject": {"id": "u-7", "name": "Ann"}, "tags": ["a", "b", "c"]},
             "result": {"allow": false, "seen": "Ann"}}""";

    /**
     * @param rule what the row specifies
     * @param configured the {@code audit-mask} pointers
     * @param answer the mask policy's answer as JSON, or null for none
     * @param failure why the mask policy failed, or null
     * @param logged the event after masking
     * @param masked the pointers the record lists as masked
     * @param error the record's {@code mask_error}, or null
     */
    record Row(String rule, List<String> configured, String answer, String failure, String logged,
            List<String> masked, String error) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Row> rules() {
        return Stream.of(
                new Row("no mask leaves the event as it is", List.of(), null, null, EVENT, List.of(), null),
                new Row("a configured pointer is removed", List.of("/input/subject/id"), null, null, """
                        {"decision_id": "d-1", "path": "contract/decision", "allow": false,
                         "input": {"subject": {"name": "Ann"}, "tags": ["a", "b", "c"]},
                         "result": {"allow": false, "seen": "Ann"}}""", List.of("/input/subject/id"), null),
                new Row("a pointer that names nothing is not listed", List.of("/input/nobody"), null, null, EVENT,
                        List.of(), null),
                new Row("the policy's pointers are removed from input and result", List.of(),
                        "[\"/input/subject/name\", \"/result/seen\"]", null, """
                        {"decision_id": "d-1", "path": "contract/decision", "allow": false,
                         "input": {"subject": {"id": "u-7"}, "tags": ["a", "b", "c"]},
                         "result": {"allow": false}}""", List.of("/input/subject/name", "/result/seen"), null),
                new Row("an upsert replaces a value", List.of(),
                        "[{\"op\": \"upsert\", \"path\": \"/input/subject/name\", \"value\": \"**\"}]", null, """
                        {"decision_id": "d-1", "path": "contract/decision", "allow": false,
                         "input": {"subject": {"id": "u-7", "name": "**"}, "tags": ["a", "b", "c"]},
                         "result": {"allow": false, "seen": "Ann"}}""", List.of("/input/subject/name"), null),
                new Row("an upsert adds a value that was absent", List.of(),
                        "[{\"op\": \"upsert\", \"path\": \"/input/subject/team\", \"value\": \"x\"}]", null, """
                        {"decision_id": "d-1", "path": "contract/decision", "allow": false,
                         "input": {"subject": {"id": "u-7", "name": "Ann", "team": "x"}, "tags": ["a", "b", "c"]},
                         "result": {"allow": false, "seen": "Ann"}}""", List.of("/input/subject/team"), null),
                new Row("the long form of remove is a pointer", List.of(),
                        "[{\"op\": \"remove\", \"path\": \"/input/tags/1\"}]", null, """
                        {"decision_id": "d-1", "path": "contract/decision", "allow": false,
                         "input": {"subject": {"id": "u-7", "name": "Ann"}, "tags": ["a", "c"]},
                         "result": {"allow": false, "seen": "Ann"}}""", List.of("/input/tags/1"), null),
                new Row("an index past the end of an array names nothing", List.of(), "[\"/input/tags/3\"]", null,
                        EVENT, List.of(), null),
                new Row("configured pointers come first and each pointer is listed once",
                        List.of("/input/subject/id"), "[\"/input/subject/id\", \"/result/seen\"]", null, """
                        {"decision_id": "d-1", "path": "contract/decision", "allow": false,
                         "input": {"subject": {"name": "Ann"}, "tags": ["a", "b", "c"]},
                         "result": {"allow": false}}""", List.of("/input/subject/id", "/result/seen"), null),
                new Row("a failed policy masks input and result whole, after the configured pointers",
                        List.of("/input/subject/id"), null, "the mask policy system/log/mask failed: boom", """
                        {"decision_id": "d-1", "path": "contract/decision", "allow": false}""",
                        List.of("/input/subject/id", "/input", "/result"), "the mask policy system/log/mask failed: boom"),
                new Row("an answer that is not a set fails the mask", List.of(), "{\"a\": 1}", null, """
                        {"decision_id": "d-1", "path": "contract/decision", "allow": false}""",
                        List.of("/input", "/result"),
                        "the mask policy system/log/mask must answer a set of JSON pointers or operations, not OBJECT"),
                new Row("an unknown operation fails the mask", List.of(),
                        "[{\"op\": \"replace\", \"path\": \"/input/subject\"}]", null, """
                        {"decision_id": "d-1", "path": "contract/decision", "allow": false}""",
                        List.of("/input", "/result"), "the mask policy system/log/mask answered "
                                + "{\"op\":\"replace\",\"path\":\"/input/subject\"}; expected a JSON pointer or "
                                + "{\"op\": \"remove\"|\"upsert\", \"path\": ...}"),
                new Row("a pointer outside input and result fails the mask, and nothing of it applies", List.of(),
                        "[\"/input/tags/0\", \"/allow\"]", null, """
                        {"decision_id": "d-1", "path": "contract/decision", "allow": false}""",
                        List.of("/input", "/result"), "the mask policy system/log/mask answered \"/allow\": audit mask "
                                + "\"/allow\" must start with /input or /result, e.g. /input/subject/id"),
                new Row("an upsert without a value fails the mask", List.of(),
                        "[{\"op\": \"upsert\", \"path\": \"/input/subject/id\"}]", null, """
                        {"decision_id": "d-1", "path": "contract/decision", "allow": false}""",
                        List.of("/input", "/result"), "the mask policy system/log/mask answered an upsert without "
                                + "a value: {\"op\":\"upsert\",\"path\":\"/input/subject/id\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void masksTheEventAsTheRuleSays(Row row) throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(EVENT);
        MaskAnswer answer = row.failure() != null ? MaskAnswer.failed(row.failure())
                : row.answer() != null ? MaskAnswer.of(JSON.readTree(row.answer())) : MaskAnswer.NONE;

        MaskRules.Outcome outcome = new MaskRules(row.configured()).apply(event, answer);

        assertEquals(JSON.readTree(row.logged()), event, "the logged event");
        assertEquals(row.masked(), outcome.masked(), "the pointers listed as masked");
        assertEquals(Optional.ofNullable(row.error()), outcome.error(), "mask_error");
    }

    @Test
    void aConfiguredPointerOutsideInputAndResultIsRefusedAtStartUp() {
        assertThrows(IllegalArgumentException.class, () -> new MaskRules(List.of("/allow")));
    }
}
