package dev.redline.pdp.server.pull;

import dev.redline.pdp.server.harness.ColdEngine;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.redline.pdp.server.bundle.BuiltInBundle;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import dev.redline.pdp.server.engine.PolicyEngine;
import dev.redline.pdp.server.policy.PolicyManager;
import dev.redline.pdp.server.policy.PolicyStatus.ActivationError;
import dev.redline.pdp.server.store.BundleStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the poller remembers between polls: the ETag it sends, and a bundle it refused. */
class BundlePollerEtagTest {
    private static final byte[] NOT_A_BUNDLE = "these bytes are no gzip archive".getBytes(UTF_8);

    @TempDir
    Path dataDir;

    private final ObjectMapper json = new ObjectMapper();
    private final TickingClock clock = new TickingClock();
    private final List<String> ifNoneMatchSent = new CopyOnWriteArrayList<>();
    private volatile byte[] body = NOT_A_BUNDLE;
    private volatile String etag = "";
    private HttpServer http;
    private PolicyEngine engine;
    private PolicyManager manager;
    private BundlePoller poller;

    @BeforeEach
    void start() throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/bundle.tar.gz", this::answer);
        http.start();
        engine = new PolicyEngine(ColdEngine.limits(), json);
        manager = new PolicyManager(engine, new BundleReader(json, BundleLimits.defaults(), SignaturePolicy.none()),
                new BundleStore(dataDir), 3, clock, activated -> {});
        URI url = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/bundle.tar.gz");
        poller = new BundlePoller(url, Duration.ofSeconds(60), Duration.ofSeconds(60), Optional.empty(),
                BundleLimits.DEFAULT_MAX_ARCHIVE_BYTES, manager, clock);
    }

    @AfterEach
    void stop() {
        poller.close();
        engine.close();
        http.stop(0);
    }

    @Test
    void theFirstPollSendsNoEtag() {
        poller.pollOnce();

        assertEquals(List.of(""), ifNoneMatchSent);
    }

    @Test
    void aRefusedBundleIsAskedForWithItsEtagFromThenOn() {
        etag = "\"refused-1\"";

        poller.pollOnce();
        poller.pollOnce();
        poller.pollOnce();

        assertEquals(List.of("", "\"refused-1\"", "\"refused-1\""), ifNoneMatchSent);
    }

    @Test
    void aRefusedBundleStaysInTheStatusAsFirstReported() {
        etag = "\"refused-1\"";
        poller.pollOnce();
        ActivationError first = manager.status().lastError().orElseThrow();

        poller.pollOnce();

        assertEquals(first, manager.status().lastError().orElseThrow());
        assertTrue(first.message().startsWith("bundle /bundle.tar.gz refused: "), first.message());
    }

    @Test
    void aRefusedBundleServedAgainWithoutAnEtagIsRecognisedByItsDigestAndNotValidatedAgain() {
        poller.pollOnce();
        ActivationError first = manager.status().lastError().orElseThrow();

        poller.pollOnce();

        assertEquals(List.of("", ""), ifNoneMatchSent);
        assertEquals(first, manager.status().lastError().orElseThrow());
    }

    @Test
    void aDifferentBundleAtTheSameUrlIsValidatedAndItsEtagRemembered() {
        etag = "\"refused-1\"";
        poller.pollOnce();
        body = BuiltInBundle.archive();
        etag = "\"good-2\"";

        poller.pollOnce();
        poller.pollOnce();

        assertEquals("\"good-2\"", poller.state().etag());
        assertEquals(List.of("", "\"refused-1\"", "\"good-2\""), ifNoneMatchSent);
        assertTrue(engine.activeBundle().isPresent());
    }

    /** Answers like a bundle server: 304 when If-None-Match names the ETag served, else 200. */
    private void answer(HttpExchange exchange) throws IOException {
        String ifNoneMatch = Optional.ofNullable(exchange.getRequestHeaders().getFirst("If-None-Match")).orElse("");
        ifNoneMatchSent.add(ifNoneMatch);
        String current = etag;
        byte[] currentBody = body;
        if (!current.isEmpty() && current.equals(ifNoneMatch)) {
            exchange.sendResponseHeaders(304, -1);
            exchange.close();
            return;
        }
        if (!current.isEmpty()) {
            exchange.getResponseHeaders().set("ETag", current);
        }
        exchange.sendResponseHeaders(200, currentBody.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(currentBody);
        }
    }

    /** A clock one second later at every reading, so a status written again would show it. */
    private static final class TickingClock extends Clock {
        private final AtomicLong seconds = new AtomicLong(Instant.parse("2026-06-01T12:00:00Z").getEpochSecond());

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(seconds.getAndIncrement());
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException("the test clock is UTC only");
        }
    }
}
