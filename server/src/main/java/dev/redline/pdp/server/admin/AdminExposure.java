package dev.redline.pdp.server.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The start-up rule for the admin port: its bearer tokens must not cross a network in plaintext.
 * On loopback they never leave the host; beyond it they need TLS, or an operator's explicit
 * acceptance (a TLS-terminating sidecar, say).
 */
public final class AdminExposure {
    private AdminExposure() {}

    /**
     * Why the admin port must not start as configured, or empty when it may.
     *
     * @param bind the address the admin port listens on
     * @param tls whether the admin port serves TLS
     * @param plaintextAllowed whether {@code --allow-plaintext-admin} was given
     */
    public static Optional<String> refusal(String bind, int adminPort, boolean tls, boolean plaintextAllowed) {
        if (tls || plaintextAllowed || isLoopback(bind)) {
            return Optional.empty();
        }
        return Optional.of("admin tokens would cross the network in plaintext: the admin port listens on " + bind
                + ":" + adminPort + " without TLS. Serve TLS on it (--tls-cert and --tls-key, or --admin-tls-cert and"
                + " --admin-tls-key), bind to loopback (--bind 127.0.0.1), or accept plaintext with"
                + " --allow-plaintext-admin (allow-plaintext-admin: true)");
    }

    private static boolean isLoopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
