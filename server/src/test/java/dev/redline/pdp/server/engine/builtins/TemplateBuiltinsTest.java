package dev.redline.pdp.server.engine.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** strings.render_template: OPA's missing-key text, and a clear refusal for what the host does not run. */
class TemplateBuiltinsTest {
    private static JsonNode render(String template, String variables) {
        JsonNode[] operands = {Operands.text(template), ValueText.parse(variables.getBytes(StandardCharsets.UTF_8))};
        return HostBuiltins.body("strings.render_template").apply(operands);
    }

    @Test
    void aMissingKeyRendersAsUndefined() {
        assertEquals(Operands.text("test <undefined> <undefined> 1"), render("test {{.foo}} {{.bar}} {{.baz}}", "{\"baz\": 1}"));
    }

    @Test
    void aFieldOfAMissingKeyRendersAsUndefined() {
        assertEquals(Operands.text("<undefined>"), render("{{.a.b.c}}", "{}"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '~', value = {
        "{{template \"x\"}} => strings.render_template: template: {{template}} is not supported",
        "{{printf \"%d\" 1}} => strings.render_template: template: function \"printf\" is not supported",
        "{{(.a}} => strings.render_template: template: unclosed left paren",
        "{{$x := 1}}{{$x = 2}} => strings.render_template: template: assignment to a variable ('=') is not supported",
        "{{if .a}}x => strings.render_template: template: unexpected EOF in if",
        "{{.a} => strings.render_template: template: unclosed action",
        "{{$nope}} => strings.render_template: template: undefined variable \"$nope\""})
    void aConstructTheHostDoesNotRunIsRefusedByName(String template, String message) {
        BuiltinError e = assertThrows(BuiltinError.class, () -> render(template, "{\"a\": [1]}"));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aSetInTheVariablesIsRefusedAsOpaCannotDecodeIt() {
        assertThrows(BuiltinError.class, () -> render("{{.s}}", "{\"s\": {1, 2}}"));
    }
}
