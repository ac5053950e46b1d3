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
 * flush) or stop it with SIGTERM (it drains), and start it again on the same data directory.
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

    /** What a child that exited printed (stdout and stderr), and its exit code. */
    public record Exited(int code, String output) {}

    /** Runs {@code pdp serve} expecting it to refuse to start; gives up (killing it) after 60 s. */
    public static Exited runUntilExit(Path dataDir, String... extraArgs) throws Exception {
        Process process = new ProcessBuilder(command(dataDir, extraArgs)).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e + ")";
            }
        });
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the child PDP did not exit; it said:\n" + output.getNow(""));
        }
        return new Exited(process.exitValue(), output.get(10, TimeUnit.SECONDS));
    }

    private static List<String> command(Path dataDir, String... extraArgs) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "dev.redline.pdp.server.cli.PdpCommand", "serve",
                "--port", "0", "--admin-port", "0", "--instances", "1", "--data-dir", dataDir.toString()));
        if (!List.of(extraArgs).contains("--warmup-timeout")) {
            command.addAll(List.of("--warmup-timeout", "0s"));
        }
        command.addAll(List.of(extraArgs));
        return command;
    }

    /**
     * Starts {@code pdp serve} on free ports with one instance. It serves cold
     * ({@code --warmup-timeout 0s}) unless {@code extraArgs} name their own {@code --warmup-timeout},
     * as a test of the warm-up does.
     */
    public static ChildPdp start(Path dataDir, String... extraArgs) throws Exception {
        Process process = new ProcessBuilder(command(dataDir, extraArgs)).redirectErrorStream(true).start();
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

    /** Sends SIGTERM (what Kubernetes sends) without waiting: the server drains and exits by itself. */
    public void terminate() {
        process.destroy();
    }

    /** The exit status, once the process has ended within {@code seconds}; empty if it is still running. */
    public java.util.OptionalInt awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? java.util.OptionalInt.of(process.exitValue())
                : java.util.OptionalInt.empty();
    }

    @Override
    public void close() {
        kill();
    }

    private static int portOf(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
