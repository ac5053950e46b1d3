package dev.redline.pdp.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of deploy/Dockerfile on a machine that cannot build images: its stages,
 * the JDK it runs on, and that it agrees with the chart on the user and the data directory.
 */
class DockerfileTest {
    private static final Pattern JDK_MAJOR = Pattern.compile("(?:temurin|openjdk|jdk|jre)[-:]?(\\d+)");

    private static List<String> instructions;
    private static Map<String, String> args;

    @BeforeAll
    static void read() throws IOException {
        Path dockerfile = Path.of(System.getProperty("pdp.dockerfile"));
        instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            instructions.add(current.append(trimmed).toString());
            current.setLength(0);
        }
        args = new TreeMap<>();
        instructions.stream().filter(i -> i.startsWith("ARG ") && i.contains("=")).forEach(i -> {
            String[] nameValue = i.substring(4).split("=", 2);
            args.put(nameValue[0], nameValue[1]);
        });
    }

    private static List<String> starting(String keyword) {
        return instructions.stream().filter(i -> i.startsWith(keyword + " ")).toList();
    }

    /** The instructions of the last stage, the image that runs. */
    private static List<String> runtimeStage() {
        int lastFrom = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).startsWith("FROM ")) {
                lastFrom = i;
            }
        }
        return instructions.subList(lastFrom, instructions.size());
    }

    private static String image(String from) {
        String reference = from.substring("FROM ".length()).split("\\s+")[0];
        Matcher arg = Pattern.compile("\\$\\{(\\w+)}").matcher(reference);
        return arg.matches() ? args.get(arg.group(1)) : reference;
    }

    private static JsonNode chartValues() throws IOException {
        return new YAMLMapper().readTree(Path.of(System.getProperty("pdp.chart.dir"), "values.yaml").toFile());
    }

    @Test
    void aBuildStageOnAJdkAndARuntimeStageOnAJre() {
        List<String> froms = starting("FROM");
        assertTrue(froms.size() >= 2, "multi-stage: " + froms);
        assertTrue(instructions.stream().anyMatch(i -> i.startsWith("RUN ") && i.contains("mvn ")
                && i.contains("-pl server -am package")), "the build stage builds the server jar with Maven");
        String runtime = image(runtimeStage().get(0));
        assertTrue(runtime.contains("jre"), "the runtime image is a JRE: " + runtime);
    }

    @Test
    void bothStagesRunJdk21OrLater() {
        for (String from : List.of(image(starting("FROM").stream().filter(f -> f.contains(" AS build")).findFirst()
                .orElseThrow()), image(runtimeStage().get(0)))) {
            Matcher major = JDK_MAJOR.matcher(from);
            assertTrue(major.find(), "a JDK major version in " + from);
            assertTrue(Integer.parseInt(major.group(1)) >= 21, from + ": docs/jdk.md requires JDK 21 or later");
        }
    }

    @Test
    void theImageRunsAsTheNonRootUserTheChartExpects() throws IOException {
        List<String> users = runtimeStage().stream().filter(i -> i.startsWith("USER ")).toList();
        assertEquals(1, users.size(), "one USER in the runtime stage");
        String[] user = users.get(0).substring("USER ".length()).split(":");
        JsonNode pod = chartValues().path("podSecurityContext");
        assertEquals(pod.path("runAsUser").asText(), user[0], "numeric, so runAsNonRoot can check it");
        assertEquals(pod.path("runAsGroup").asText(), user[1]);
        assertTrue(Integer.parseInt(user[0]) > 0);
    }

    @Test
    void theDataDirectoryIsTheOneWritablePathTheImageCreates() {
        String runtime = String.join("\n", runtimeStage());
        assertTrue(runtime.contains("chown 10001:10001 /var/lib/redline-pdp"), "the data directory belongs to the user");
        assertTrue(runtime.contains("--chown=0:0 /out/ /opt/redline-pdp/"), "the program's files belong to root");
        assertTrue(starting("CMD").get(0).contains("--data-dir=/var/lib/redline-pdp"));
    }

    @Test
    void theEntrypointRunsTheServerJarThatTheBuildCopies() {
        String entrypoint = starting("ENTRYPOINT").get(0);
        assertTrue(entrypoint.contains("\"-jar\", \"/opt/redline-pdp/pdp-server.jar\""), entrypoint);
        assertTrue(instructions.stream().anyMatch(i -> i.contains("cp server/target/pdp-server.jar /out/")));
        assertTrue(instructions.stream().anyMatch(i -> i.contains("cp server/target/lib/*.jar /out/lib/")),
                "the jar's Class-Path names lib/ next to it");
    }

    @Test
    void nothingIsDownloadedOutsideThePackageClients() {
        assertTrue(instructions.stream().noneMatch(i -> i.startsWith("ADD ") || i.contains("curl ") || i.contains("wget ")),
                "no ADD of a URL, no curl or wget");
    }
}
