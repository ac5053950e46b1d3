package dev.redline.pdp.server.bundle;

import java.io.IOException;
import java.io.InputStream;

/** The contract bundle built from policies/ and packaged with the server. */
public final class BuiltInBundle {
    public static final String NAME = "built-in:contract";
    static final String RESOURCE = "/bundles/contract.tar.gz";

    private BuiltInBundle() {}

    public static byte[] archive() {
        try (InputStream in = BuiltInBundle.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the built-in contract bundle " + RESOURCE
                        + " is not on the classpath; build the policies module (mvn -pl policies install)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("the built-in contract bundle cannot be read", e);
        }
    }
}
