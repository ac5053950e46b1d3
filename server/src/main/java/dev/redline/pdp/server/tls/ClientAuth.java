package dev.redline.pdp.server.tls;

import java.util.Locale;

/** Whether a port asks TLS clients for a certificate, and whether it lets them in without one. */
public enum ClientAuth {
    /** No client certificate is asked for. */
    NONE,
    /** A client certificate is asked for; one that is presented must chain to the client CA. */
    OPTIONAL,
    /** The handshake fails unless the client presents a certificate that chains to the client CA. */
    REQUIRE;

    /**
     * Reads {@code none}, {@code optional} or {@code require}, case-insensitively.
     *
     * @param key the config key the value came from, named in the error
     */
    public static ClientAuth parse(String value, String key) {
        for (ClientAuth mode : values()) {
            if (mode.name().equalsIgnoreCase(value.strip())) {
                return mode;
            }
        }
        throw new IllegalArgumentException(key + " must be none, optional or require, got \"" + value + "\"");
    }

    /** The value as it is written in the config and on the command line. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
