package dev.redline.pdp.server.harness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A bundle server on a loopback port, as OPA's bundle plugin expects one: GET {@link #url()}
 * answers what the test set ({@link #serve}, {@link #answerStatus}), with 304 Not Modified when
 * {@code If-None-Match} carries the ETag being served. Records every request it answered.
 */
public final class TestBundleServer implements AutoCloseable {
    public static final String PATH = "/bundles/policy.tar.gz";

    /** One request as received, and the status it was answered with. */
    public record Request(String ifNoneMatch, String authorization, int answeredStatus) {}

    private record Answer(int status, byte[] body, String etag) {}

    private final HttpServer http;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Answer answer = new Answer(404, new byte[0], null);

    public TestBundleServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext(PATH, this::handle);
        http.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + PATH);
    }

    /** From now on, answer 200 with {@code archive} and {@code ETag: etag} (304 to that ETag). */
    public void serve(byte[] archive, String etag) {
        answer = new Answer(200, archive, etag);
    }

    /** From now on, answer {@code status} with an empty body and no ETag, whatever the request says. */
    public void answerStatus(int status) {
        answer = new Answer(status, new byte[0], null);
    }

    /** Every request answered so far, oldest first. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Answer now = answer;
            String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (now.etag() != null) {
                exchange.getResponseHeaders().set("ETag", now.etag());
            }
            if (now.etag() != null && now.etag().equals(ifNoneMatch)) {
                requests.add(new Request(ifNoneMatch, authorization, 304));
                exchange.sendResponseHeaders(304, -1);
                return;
            }
            requests.add(new Request(ifNoneMatch, authorization, now.status()));
            exchange.sendResponseHeaders(now.status(), now.body().length == 0 ? -1 : now.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(now.body());
            }
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
