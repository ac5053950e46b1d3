package dev.redline.pdp.sdk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real PDP ({@code pdp serve}) in a child JVM on a free loopback port, so that a test can SIGKILL it. */
final class PdpProcess implements AutoCloseable {
    private static final Pattern ADDRESS = Pattern.compile("\"address\":\"[^\"]*:(\\d+)\"");

    private final Process process;
    private final int port;

    private PdpProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a PDP keeping its state in {@code dataDir}; returns once it says it is serving. */
    static PdpProcess start(Path dataDir) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                "dev.redline.pdp.server.cli.PdpCommand", "serve", "--port", "0", "--admin-port", "0",
                "--instances", "1", "--eval-timeout", "10s", "--warmup-timeout", "0s", "--data-dir", dataDir.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> serving = CompletableFuture.supplyAsync(() -> {
            StringBuilder said = new StringBuilder();
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    said.append(line).append('\n');
                    Matcher port = ADDRESS.matcher(line);
                    if (line.contains("\"pdp serving\"") && port.find()) {
                        return Integer.parseInt(port.group(1));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("reading the PDP's output failed; it said:\n" + said, e);
            }
            throw new IllegalStateException("the PDP exited before serving; it said:\n" + said);
        });
        try {
            int port = serving.get(120, TimeUnit.SECONDS);
            Thread drain = new Thread(() -> out.lines().forEach(line -> { }), "pdp-process-output");
            drain.setDaemon(true);
            drain.start();
            return new PdpProcess(process, port);
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    /** SIGKILL: no shutdown hook, no goodbye to the clients; waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
