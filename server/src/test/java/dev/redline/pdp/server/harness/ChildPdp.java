package dev.redline.pdp.server.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code pdp serve} in a child JVM, so a test can kill it with SIGKILL (no shutdown hook, no
 * flush) and start it again on the same data directory.
 */
public final class ChildPdp implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final Process process;
    public final int port;
    public final int adminPort;
    public final JsonNode startLine;
    /** The JSON log lines the server printed before {@link #startLine} (warnings at start). */
    public final List<JsonNode> linesBeforeStart;

    private ChildPdp(Process process, JsonNode startLine, List<JsonNode> linesBeforeStart) {
        this.process = process;
        this.startLine = startLine;
        this.linesBeforeStart = List.copyOf(linesBeforeStart);
        this.port = portOf(startLine.path("address").asText());
        this.adminPort = portOf(startLine.path("admin_address").asText());
    }

    public static ChildPdp start(Path dataDir, String... extraArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "dev.redline.pdp.server.cli.PdpCommand", "serve",
                "--port", "0", "--admin-port", "0", "--instances", "1", "--data-dir", dataDir.toString()));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<JsonNode> before = new ArrayList<>();
        CompletableFuture<JsonNode> started = CompletableFuture.supplyAsync(() -> {
            StringBuilder seen = new StringBuilder();
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    seen.append(line).append('\n');
                    if (line.startsWith("{") && line.contains("\"pdp serving\"")) {
                        return JSON.readTree(line);
                    }
                    if (line.startsWith("{")) {
                        before.add(JSON.readTree(line));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("reading the child PDP failed; it said:\n" + seen, e);
            }
            throw new IllegalStateException("the child PDP exited before serving; it said:\n" + seen);
        });
        try {
            JsonNode line = started.get(60, TimeUnit.SECONDS);
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "child-pdp-drain");
            drain.setDaemon(true);
            drain.start();
            return new ChildPdp(process, line, before);
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** SIGKILL: the JVM gets no chance to run hooks or flush anything. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    private static int portOf(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
