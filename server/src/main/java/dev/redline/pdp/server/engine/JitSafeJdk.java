package dev.redline.pdp.server.engine;

import java.lang.Runtime.Version;

/**
 * Decides whether this JVM may run policies compiled by Chicory 1.7.5.
 *
 * <p>On JDK 17 and older, C2 can fold the unsigned comparisons Chicory emits
 * ({@code Integer.compareUnsigned}, plain Java there) into one and then resume a deoptimized frame
 * with the wrong state: JDK-8376400. A policy comparison then silently gives the wrong boolean.
 * Chicory 1.7.5 works around it for {@code I32_GE_U} only; {@code I32_LT_U} and the rest are
 * unprotected. From JDK 18 on, JDK-8276162 lowers that pattern before the faulty fold can see it.
 * JDK 18 to 20 are out of support and untested here, so the floor is the LTS after 17. The facts
 * and sources are in docs/jdk.md.
 */
public final class JitSafeJdk {
    /** The oldest feature release the PDP runs on. */
    public static final int MINIMUM_FEATURE = 21;

    private JitSafeJdk() {}

    /** What was found about the running JVM, for the start-up log line. */
    public record Report(String version, String vendor, String jit) {}

    /** The JVM the PDP runs on could miscompile policy code; the message names the fix. */
    public static final class UnsafeJdkException extends Exception {
        UnsafeJdkException(String message) {
            super(message);
        }
    }

    /** Checks the running JVM. */
    public static Report requireSafe() throws UnsafeJdkException {
        return requireSafe(Runtime.version(), System.getProperty("java.vendor", "unknown"));
    }

    /** Checks a JVM of this version and vendor. */
    public static Report requireSafe(Version version, String vendor) throws UnsafeJdkException {
        if (version.feature() < MINIMUM_FEATURE) {
            throw new UnsafeJdkException("JDK " + version + " (" + vendor + ") can run the policy code Chicory"
                    + " compiles with the C2 bug JDK-8376400, where an unsigned comparison silently returns the"
                    + " wrong answer; the PDP does not start on it. Run it on JDK " + MINIMUM_FEATURE + " or later"
                    + " (./pdp picks the newest installed one; or set JAVA_HOME, e.g."
                    + " JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64). See docs/jdk.md");
        }
        return new Report(version.toString(), vendor,
                "not exposed to JDK-8376400 (JDK " + MINIMUM_FEATURE + "+)");
    }
}
