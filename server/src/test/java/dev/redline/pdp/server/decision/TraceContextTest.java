package dev.redline.pdp.server.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Which {@code traceparent} headers name a trace (W3C Trace Context, level 1). */
class TraceContextTest {
    @Test
    void aWellFormedHeaderGivesItsTraceAndSpan() {
        assertEquals(Optional.of(new TraceContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7")),
                TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
    }

    @Test
    void aLaterVersionMayAppendFields() {
        assertEquals(Optional.of(new TraceContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7")),
                TraceContext.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "garbage",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",            // no flags
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",         // upper case
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",         // zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",         // zero span id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",         // forbidden version
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",   // version 00 has no more fields
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",         // wrong separators
        "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",         // not hex
    })
    void anythingElseIsIgnored(String header) {
        assertEquals(Optional.empty(), TraceContext.parse(header));
    }
}
