package dev.redline.pdp.server.policy;

import java.net.URI;

/**
 * A bundle archive handed to {@link PolicyManager#push}: where it came from and whether it is to
 * decide at once.
 *
 * @param name the file name it arrived under, for messages and the stored record
 */
public record BundleUpload(String name, byte[] archive, Origin origin, Activation activation) {

    /** Whether the bundle becomes active once it is validated and stored. */
    public enum Activation {
        ACTIVATE,
        STORE_ONLY
    }

    /** Where a bundle came from: recorded as who pushed it, and as the source of any refusal. */
    public sealed interface Origin {
        /** Who is recorded as having pushed the bundle. */
        String pushedBy();

        /** The source an activation error names in the status. */
        String source();
    }

    /** Chosen when the PDP started: the {@code --bundle} file or the built-in contract bundle. */
    public record Startup() implements Origin {
        @Override
        public String pushedBy() {
            return "startup";
        }

        @Override
        public String source() {
            return "startup";
        }
    }

    /** Pushed over the admin API by an authenticated principal. */
    public record AdminPush(String principal) implements Origin {
        @Override
        public String pushedBy() {
            return principal;
        }

        @Override
        public String source() {
            return "push";
        }
    }

    /** Fetched by polling a bundle URL. */
    public record Poll(URI url) implements Origin {
        @Override
        public String pushedBy() {
            return source();
        }

        @Override
        public String source() {
            return "poll:" + url;
        }
    }

    boolean activates() {
        return activation == Activation.ACTIVATE;
    }
}
