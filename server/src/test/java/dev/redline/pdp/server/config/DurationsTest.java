package dev.redline.pdp.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void parsesMilliseconds() {
        assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
    }

    @Test
    void parsesSeconds() {
        assertEquals(Duration.ofSeconds(2), Durations.parse("2s"));
    }

    @Test
    void parsesMinutes() {
        assertEquals(Duration.ofMinutes(1), Durations.parse("1m"));
    }

    @Test
    void parsesIso8601WithAFraction() {
        assertEquals(Duration.ofMillis(500), Durations.parse("PT0.5S"));
    }

    @Test
    void parsesIso8601HoursAndMinutes() {
        assertEquals(Duration.ofMinutes(90), Durations.parse("PT1H30M"));
    }

    @Test
    void parsesZero() {
        assertEquals(Duration.ZERO, Durations.parse("0ms"));
    }

    @Test
    void ignoresSurroundingWhitespace() {
        assertEquals(Duration.ofSeconds(2), Durations.parse(" 2s\n"));
    }

    @Test
    void refusesAWordWithExamplesOfWhatToWrite() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("fast"));

        assertEquals("\"fast\" is not a duration; write e.g. 250ms, 2s, 1m, 6h, 30d or PT2S", e.getMessage());
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(strings = {"", "2", "1w", "2S", "1.5s", "-1s", "2 s", "ms"})
    void refusesTextThatIsNeitherASimpleNorAnIsoDuration(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));

        assertEquals("\"" + text + "\" is not a duration; write e.g. 250ms, 2s, 1m, 6h, 30d or PT2S", e.getMessage());
    }

    @ParameterizedTest(name = "\"{0}\" is refused with examples")
    @ValueSource(strings = {"99999999999999999999ms", "999999999999999999m"})
    void refusesAnAmountTooLargeForADurationWithExamples(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));

        assertEquals("\"" + text + "\" is not a duration; write e.g. 250ms, 2s, 1m, 6h, 30d or PT2S", e.getMessage());
    }
}
