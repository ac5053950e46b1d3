package dev.redline.pdp.server.config;

import dev.redline.pdp.server.bundle.SignaturePolicy;
import dev.redline.pdp.server.bundle.VerificationKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Applies the policy-source settings (flags or config keys) on top of a {@link PolicySourceConfig}. */
public final class PolicySources {
    static final Duration DEFAULT_POLL_MIN = Duration.ofSeconds(10);
    static final Duration DEFAULT_POLL_MAX = Duration.ofSeconds(30);

    private PolicySources() {}

    /** Each argument that is null leaves the base value. Key specs are {@code ID:ALGORITHM:FILE}. */
    public static PolicySourceConfig apply(PolicySourceConfig base, Path dataDir, Integer keepBundles,
            List<String> verificationKeys, Boolean requireSignatures, URI bundleUrl, String pollMinDelay,
            String pollMaxDelay, Path bundleUrlTokenFile) {
        SignaturePolicy signatures = base.signatures();
        if (verificationKeys != null || requireSignatures != null) {
            Map<String, VerificationKey> keys = new HashMap<>(signatures.keys());
            for (String spec : verificationKeys == null ? List.<String>of() : verificationKeys) {
                VerificationKey key = parseKey(spec);
                keys.put(key.keyId(), key);
            }
            signatures = new SignaturePolicy(requireSignatures != null ? requireSignatures : signatures.required(), keys);
        }
        Optional<PolicySourceConfig.Poll> poll = base.poll();
        if (bundleUrl != null || pollMinDelay != null || pollMaxDelay != null || bundleUrlTokenFile != null) {
            URI url = bundleUrl != null ? bundleUrl : poll.map(PolicySourceConfig.Poll::url).orElseThrow(
                    () -> new IllegalArgumentException("poll delays and token need a bundle URL (--bundle-url)"));
            if (!url.getScheme().equals("http") && !url.getScheme().equals("https")) {
                throw new IllegalArgumentException("bundle URL " + url + " must be http or https");
            }
            Duration min = pollMinDelay != null ? Durations.parse(pollMinDelay)
                    : poll.map(PolicySourceConfig.Poll::minDelay).orElse(DEFAULT_POLL_MIN);
            Duration max = pollMaxDelay != null ? Durations.parse(pollMaxDelay)
                    : poll.map(PolicySourceConfig.Poll::maxDelay).orElse(DEFAULT_POLL_MAX.compareTo(min) < 0 ? min : DEFAULT_POLL_MAX);
            Optional<String> token = bundleUrlTokenFile != null ? Optional.of(read(bundleUrlTokenFile).strip())
                    : poll.flatMap(PolicySourceConfig.Poll::bearerToken);
            poll = Optional.of(new PolicySourceConfig.Poll(url, min, max, token));
        }
        return new PolicySourceConfig(dataDir != null ? dataDir : base.dataDir(),
                keepBundles != null ? keepBundles : base.keepBundles(), signatures, poll, base.limits());
    }

    static VerificationKey parseKey(String spec) {
        String[] parts = spec.split(":", 3);
        if (parts.length != 3 || parts[0].isBlank()) {
            throw new IllegalArgumentException("verification key \"" + spec + "\" must be ID:ALGORITHM:FILE, e.g. ci:RS256:ci.pub.pem");
        }
        Path file = Path.of(parts[2]);
        try {
            // Raw bytes: an HMAC secret may be any bytes, as opa build --signing-key takes it.
            return VerificationKey.of(parts[0], parts[1], Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read verification key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
