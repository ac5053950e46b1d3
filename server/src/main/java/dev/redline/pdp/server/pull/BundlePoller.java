package dev.redline.pdp.server.pull;

import dev.redline.pdp.server.bundle.BundleDigest;
import dev.redline.pdp.server.policy.ActivationException;
import dev.redline.pdp.server.policy.BundleUpload;
import dev.redline.pdp.server.policy.BundleUpload.Activation;
import dev.redline.pdp.server.policy.PolicyManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Pulls bundles from an HTTP(S) server the way OPA's bundle plugin does: GET the bundle URL with
 * {@code If-None-Match: <etag>}, wait a random delay between the minimum and maximum, repeat. A
 * 200 is validated and activated like a push; a 304 changes nothing; any failure is reported
 * in the status and the active bundle keeps serving. The ETag sent is that of the bundle last
 * activated from the URL, or of one refused since, which OPA does too: a refused bundle is not
 * downloaded and validated again on every poll.
 */
public final class BundlePoller implements AutoCloseable {
    private final URI url;
    private final Duration minDelay;
    private final Duration maxDelay;
    private final Optional<String> bearerToken;
    private final long maxBytes;
    private final PolicyManager manager;
    private final HttpClient http;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    /** A bundle fetched from the URL and refused as invalid: its ETag (empty when none came) and SHA-256. */
    private record Refused(String etag, BundleDigest digest) {}

    private volatile String etag = "";
    private volatile Optional<Refused> refused = Optional.empty();
    private volatile Optional<Instant> lastPoll = Optional.empty();

    public BundlePoller(URI url, Duration minDelay, Duration maxDelay, Optional<String> bearerToken, long maxBytes,
            PolicyManager manager, Clock clock) {
        if (maxDelay.compareTo(minDelay) < 0) {
            throw new IllegalArgumentException("poll max delay " + maxDelay + " is below the min delay " + minDelay);
        }
        this.url = url;
        this.minDelay = minDelay;
        this.maxDelay = maxDelay;
        this.bearerToken = bearerToken;
        this.maxBytes = maxBytes;
        this.manager = manager;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pdp-bundle-poller");
            t.setDaemon(true);
            return t;
        });
    }

    /** Polls now, then keeps polling until closed. */
    public void start() {
        scheduler.execute(this::pollAndReschedule);
    }

    public PollState state() {
        return new PollState(url.toString(), lastPoll, etag);
    }

    private void pollAndReschedule() {
        try {
            pollOnce();
        } finally {
            long min = minDelay.toMillis();
            long delay = min + ThreadLocalRandom.current().nextLong(maxDelay.toMillis() - min + 1);
            if (!scheduler.isShutdown()) {
                scheduler.schedule(this::pollAndReschedule, delay, TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * One poll: fetch if changed, then validate and activate. A bundle refused as invalid is
     * remembered by its ETag and digest: the next polls ask for it with {@code If-None-Match}
     * and never validate it again, so its refusal stays in the status as it was first reported.
     */
    void pollOnce() {
        BundleUpload.Origin origin = new BundleUpload.Poll(url);
        String source = origin.source();
        Optional<Refused> refusedNow = refused;
        String ifNoneMatch = refusedNow.map(Refused::etag).filter(e -> !e.isEmpty()).orElse(etag);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET();
        if (!ifNoneMatch.isEmpty()) {
            request.header("If-None-Match", ifNoneMatch);
        }
        bearerToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            lastPoll = Optional.of(clock.instant());
            try (InputStream body = response.body()) {
                if (response.statusCode() == 304) {
                    return;
                }
                if (response.statusCode() != 200) {
                    manager.recordError("polling " + url + " answered HTTP " + response.statusCode(), source);
                    return;
                }
                String responseEtag = response.headers().firstValue("ETag").orElse("");
                if (!responseEtag.isEmpty() && refusedNow.map(r -> r.etag().equals(responseEtag)).orElse(false)) {
                    return; // a server that ignores If-None-Match, still serving the refused bundle
                }
                byte[] archive = readBounded(body);
                BundleDigest digest = BundleDigest.of(archive);
                if (refusedNow.map(r -> r.digest().equals(digest)).orElse(false)) {
                    return;
                }
                try {
                    manager.push(new BundleUpload(url.getPath().isEmpty() ? url.toString() : url.getPath(), archive,
                            origin, Activation.ACTIVATE));
                    etag = responseEtag;
                    refused = Optional.empty();
                } catch (ActivationException e) {
                    // The manager has recorded the refusal in the status; the active bundle keeps serving.
                    // A storage failure may pass, so only an invalid bundle is never tried again.
                    if (e.kind() == ActivationException.Kind.INVALID_BUNDLE) {
                        refused = Optional.of(new Refused(responseEtag, digest));
                    }
                }
            }
        } catch (IOException e) {
            manager.recordError("polling " + url + " failed: " + e.getMessage(), source);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private byte[] readBounded(InputStream body) throws IOException {
        byte[] archive = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (archive.length > maxBytes) {
            throw new IOException("the bundle is larger than the limit of " + maxBytes + " bytes");
        }
        return archive;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
