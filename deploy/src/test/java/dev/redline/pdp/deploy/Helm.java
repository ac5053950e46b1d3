package dev.redline.pdp.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The pinned helm binary (deploy/helm.sh found or built it and wrote its path before the tests),
 * run on the chart. Helm's cache, config and data go under target/, not the user's home.
 */
final class Helm {
    /** The release name every rendering uses, so resource names are predictable. */
    static final String RELEASE = "pdp";

    /**
     * The oldest Kubernetes the chart supports (Chart.yaml's kubeVersion: gRPC probes and the
     * StatefulSet's claim retention policy are on by default from 1.27); helm template renders
     * for v1.20 unless told.
     */
    static final String KUBE_VERSION = "1.27.0";

    private static final long TIMEOUT_SECONDS = 120;

    private final Path binary;
    private final Path chart;
    private final Path home;

    private Helm(Path binary, Path chart, Path home) {
        this.binary = binary;
        this.chart = chart;
        this.home = home;
    }

    static Helm pinned() {
        try {
            Path pathFile = Path.of(required("pdp.helm.path.file"));
            Path binary = Path.of(Files.readString(pathFile, StandardCharsets.UTF_8).trim());
            return new Helm(binary, Path.of(required("pdp.chart.dir")), Path.of(required("pdp.helm.home")));
        } catch (IOException e) {
            throw new IllegalStateException("the pinned helm's path was not written (deploy/helm.sh runs before"
                    + " the tests): " + e.getMessage(), e);
        }
    }

    static Path examplesDir() {
        return Path.of(required("pdp.chart.examples.dir"));
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set (run the tests with Maven)");
        }
        return value;
    }

    /** {@code helm template} of the chart with these extra arguments (--set, -f); fails on a refusal. */
    RenderedChart template(String... args) {
        Result result = template0(args);
        if (result.exit() != 0) {
            throw new AssertionError("helm template " + String.join(" ", args) + " failed:\n" + result.err());
        }
        return RenderedChart.parse(result.out());
    }

    /** {@code helm template} expected to be refused; the error text it printed. */
    String refusal(String... args) {
        Result result = template0(args);
        if (result.exit() == 0) {
            throw new AssertionError("helm template " + String.join(" ", args) + " rendered, but was expected to fail");
        }
        return result.err();
    }

    /** {@code helm lint --strict} of the chart with these extra arguments. */
    Result lint(String... args) {
        List<String> command = new ArrayList<>(List.of("lint", "--strict", chart.toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    private Result template0(String... args) {
        List<String> command = new ArrayList<>(List.of("template", RELEASE, chart.toString(), "--namespace", "redline",
                "--kube-version", KUBE_VERSION));
        command.addAll(List.of(args));
        return run(command);
    }

    private Result run(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(args);
        try {
            Path out = Files.createTempFile("helm", ".out");
            Path err = Files.createTempFile("helm", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
            builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
            builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " ran over " + TIMEOUT_SECONDS + " s");
            }
            Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Result(int exit, String out, String err) {
    }
}
