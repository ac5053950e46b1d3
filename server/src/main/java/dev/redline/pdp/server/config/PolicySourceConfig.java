package dev.redline.pdp.server.config;

import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where policy comes from and where it is kept.
 *
 * @param dataDir the PDP's data directory (bundle store, admin tokens)
 * @param keepBundles how many bundles the store keeps
 * @param signatures which bundle signatures are accepted or required
 * @param poll an HTTP(S) bundle URL to poll, if any
 * @param limits what a bundle archive may hold, however it arrives (push, poll, file)
 * @param gate the impact gate a gated activation passes
 * @param shadow how a shadowed bundle is evaluated
 */
public record PolicySourceConfig(Path dataDir, int keepBundles, SignaturePolicy signatures, Optional<Poll> poll,
        BundleLimits limits, GateSettings gate, ShadowSettings shadow) {
    public PolicySourceConfig {
        if (keepBundles < 2) {
            throw new IllegalArgumentException("keep-bundles must be at least 2 (the active one and a rollback), got "
                    + keepBundles);
        }
    }

    /** With the default shadow evaluation. */
    public PolicySourceConfig(Path dataDir, int keepBundles, SignaturePolicy signatures, Optional<Poll> poll,
            BundleLimits limits, GateSettings gate) {
        this(dataDir, keepBundles, signatures, poll, limits, gate, ShadowSettings.defaults());
    }

    /** With the default impact gate and shadow evaluation. */
    public PolicySourceConfig(Path dataDir, int keepBundles, SignaturePolicy signatures, Optional<Poll> poll,
            BundleLimits limits) {
        this(dataDir, keepBundles, signatures, poll, limits, GateSettings.defaults(), ShadowSettings.defaults());
    }

    /** With the default bundle limits and impact gate. */
    public PolicySourceConfig(Path dataDir, int keepBundles, SignaturePolicy signatures, Optional<Poll> poll) {
        this(dataDir, keepBundles, signatures, poll, BundleLimits.defaults());
    }

    public PolicySourceConfig withDataDir(Path dataDir) {
        return new PolicySourceConfig(dataDir, keepBundles, signatures, poll, limits, gate, shadow);
    }

    public PolicySourceConfig withKeepBundles(int keepBundles) {
        return new PolicySourceConfig(dataDir, keepBundles, signatures, poll, limits, gate, shadow);
    }

    public PolicySourceConfig withSignatures(SignaturePolicy signatures) {
        return new PolicySourceConfig(dataDir, keepBundles, signatures, poll, limits, gate, shadow);
    }

    public PolicySourceConfig withPoll(Optional<Poll> poll) {
        return new PolicySourceConfig(dataDir, keepBundles, signatures, poll, limits, gate, shadow);
    }

    public PolicySourceConfig withLimits(BundleLimits limits) {
        return new PolicySourceConfig(dataDir, keepBundles, signatures, poll, limits, gate, shadow);
    }

    public PolicySourceConfig withGate(GateSettings gate) {
        return new PolicySourceConfig(dataDir, keepBundles, signatures, poll, limits, gate, shadow);
    }

    public PolicySourceConfig withShadow(ShadowSettings shadow) {
        return new PolicySourceConfig(dataDir, keepBundles, signatures, poll, limits, gate, shadow);
    }

    /**
     * @param url the bundle to GET
     * @param minDelay shortest wait between polls
     * @param maxDelay longest wait between polls
     * @param bearerToken sent as {@code Authorization: Bearer}, if set
     */
    public record Poll(URI url, Duration minDelay, Duration maxDelay, Optional<String> bearerToken) {}

    public static PolicySourceConfig defaults() {
        return new PolicySourceConfig(Path.of("pdp-data"), 10, SignaturePolicy.none(), Optional.empty());
    }
}
