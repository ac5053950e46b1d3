package dev.redline.pdp.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code helm lint --strict} passes on the defaults and on every example value set in deploy/helm/examples. */
class ChartLintTest {
    private final Helm helm = Helm.pinned();

    static Stream<Path> exampleValues() throws IOException {
        try (Stream<Path> files = Files.list(Helm.examplesDir())) {
            List<Path> examples = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertFalse(examples.isEmpty(), "deploy/helm/examples has value sets");
            return examples.stream();
        }
    }

    @Test
    void lintPassesOnTheDefaults() {
        Helm.Result result = helm.lint();
        assertEquals(0, result.exit(), result.out() + result.err());
    }

    @ParameterizedTest
    @MethodSource("exampleValues")
    void lintPassesOnTheExample(Path values) {
        Helm.Result result = helm.lint("-f", values.toString());
        assertEquals(0, result.exit(), result.out() + result.err());
    }

    @ParameterizedTest
    @MethodSource("exampleValues")
    void theExampleRendersAWorkload(Path values) {
        helm.template("-f", values.toString()).workload();
    }
}
