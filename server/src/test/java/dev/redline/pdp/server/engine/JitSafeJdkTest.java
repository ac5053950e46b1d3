package dev.redline.pdp.server.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.Runtime.Version;
import org.junit.jupiter.api.Test;

class JitSafeJdkTest {

    @Test
    void refusesJdk17NamingTheBugAndTheFix() {
        var e = assertThrows(JitSafeJdk.UnsafeJdkException.class,
                () -> JitSafeJdk.requireSafe(Version.parse("17.0.15+6"), "Debian"));
        assertTrue(e.getMessage().contains("JDK 17.0.15+6 (Debian)"), e.getMessage());
        assertTrue(e.getMessage().contains("JDK-8376400"), e.getMessage());
        assertTrue(e.getMessage().contains("JDK 21 or later"), e.getMessage());
        assertTrue(e.getMessage().contains("JAVA_HOME"), e.getMessage());
    }

    @Test
    void refusesTheReleasesBetween17And21() {
        assertThrows(JitSafeJdk.UnsafeJdkException.class, () -> JitSafeJdk.requireSafe(Version.parse("20.0.2"), "x"));
        assertThrows(JitSafeJdk.UnsafeJdkException.class, () -> JitSafeJdk.requireSafe(Version.parse("11.0.20"), "x"));
    }

    @Test
    void acceptsJdk21AndLaterAndReportsWhatWasChecked() throws Exception {
        var report = JitSafeJdk.requireSafe(Version.parse("25.0.3+9-LTS"), "Eclipse Adoptium");
        assertEquals("25.0.3+9-LTS", report.version());
        assertEquals("Eclipse Adoptium", report.vendor());
        assertTrue(report.jit().contains("not exposed to JDK-8376400"), report.jit());
        JitSafeJdk.requireSafe(Version.parse("21"), "x");
    }
}
