package dev.redline.pdp.server.engine.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** regex.globs_match refuses a malformed pattern with glob-intersection's text and the rune position it stopped at. */
class GlobsMatchBuiltinsTest {
    private static BuiltinError refusal(String pattern) {
        var operands = new com.fasterxml.jackson.databind.JsonNode[] {Operands.text(pattern), Operands.text("a")};
        return assertThrows(BuiltinError.class, () -> HostBuiltins.body("regex.globs_match").apply(operands));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "pqrs]|input:pqrs], pos:5, set-close ']' with no preceding '[': the input provided is invalid",
        "*a|input:*a, pos:1, flag '*' must be preceded by a non-flag: the input provided is invalid",
        "a++|input:a++, pos:3, flag '+' must be preceded by a non-flag: the input provided is invalid",
        "[ab|input:[ab, pos:3, found [ without matching ]: the input provided is invalid",
        "[-a]|input:[-a], pos:2, range character '-' must be preceded by a Unicode character: the input provided is invalid",
        "[a-]|input:[a-], pos:3, range character '-' must be followed by a Unicode character: the input provided is invalid",
        "[a--b]|input:[a--b], pos:4, range character '-' cannot be followed by a special symbol: the input provided is invalid",
        "[z-a]|input:[z-a], pos:4, range is out of order: 'a' comes before 'z' in Unicode: the input provided is invalid",
        "ab\\|input:ab\\, pos:2, input ends with a \\ (escape) character: the input provided is invalid"})
    void aMalformedPatternIsRefusedWithGlobIntersectionsText(String pattern, String message) {
        assertEquals("regex.globs_match: " + message, refusal(pattern).getMessage());
    }

    @ParameterizedTest(name = "{0} ~ {1}")
    @CsvSource(delimiter = '|', value = {
        "[a-z]+\\[[0-9]+\\]|foo\\[1\\]|true",
        "a*|b|false",
        "a*|''|false", // as in glob-intersection: an empty pattern meets no starred one
        "x[ab]*y|x.*y|true"})
    void patternsIntersectWhenOneStringMatchesBoth(String first, String second, boolean expected) {
        var operands = new com.fasterxml.jackson.databind.JsonNode[] {
            Operands.text(first), Operands.text(second)};
        assertEquals(Operands.bool(expected), HostBuiltins.body("regex.globs_match").apply(operands));
    }
}
