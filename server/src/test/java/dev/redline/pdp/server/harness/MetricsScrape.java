package dev.redline.pdp.server.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The samples of one scrape of a PDP's {@code /metrics}, read in the Prometheus text format. */
public record MetricsScrape(List<Sample> samples) {
    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    public record Sample(String name, Map<String, String> labels, double value) {}

    /**
     * Scrapes {@code http://127.0.0.1:port/metrics}.
     *
     * @throws AssertionError when the endpoint does not answer 200 in the Prometheus text format
     */
    public static MetricsScrape of(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + response.statusCode() + ": " + response.body());
        }
        if (!response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain")) {
            throw new AssertionError("/metrics is not in the Prometheus text format: " + response.headers());
        }
        return parse(response.body());
    }

    static MetricsScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (line.startsWith("#") || !m.find()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return new MetricsScrape(samples);
    }

    public List<String> names() {
        return samples.stream().map(Sample::name).distinct().toList();
    }

    public boolean has(String name, Map<String, String> labels) {
        return samples.stream().anyMatch(s -> s.name().equals(name) && s.labels().equals(new TreeMap<>(labels)));
    }

    /** The one sample of {@code name} with exactly {@code labels}; an AssertionError when there is none. */
    public long value(String name, Map<String, String> labels) {
        Map<String, String> wanted = new TreeMap<>(labels);
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(wanted))
                .map(s -> (long) s.value()).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + wanted + " in the scrape; it has "
                        + samples.stream().filter(s -> s.name().equals(name)).toList()));
    }

    public long sum(String name) {
        return (long) samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).sum();
    }
}
