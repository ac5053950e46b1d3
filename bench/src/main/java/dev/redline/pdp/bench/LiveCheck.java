package dev.redline.pdp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.sdk.Decision;
import dev.redline.pdp.sdk.PdpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Before bench/run.sh loads a PDP it checks, through the SDK, that the PDP answers every contract
 * case as the corpus expects: a benchmark of wrong answers (or of fail-closed denies) is worthless.
 *
 * <pre>java -cp bench/target/pdp-bench.jar dev.redline.pdp.bench.LiveCheck 127.0.0.1:PORT CASES_DIR</pre>
 */
public final class LiveCheck {
    private LiveCheck() {}

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: LiveCheck HOST:PORT CONTRACT_CASES_DIR");
            System.exit(2);
        }
        ObjectMapper json = new ObjectMapper();
        List<Path> cases;
        try (Stream<Path> files = Files.list(Path.of(args[1]))) {
            cases = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        int wrong = 0;
        try (PdpClient pdp = PdpClient.builder().target(args[0]).plaintext().defaultDeadline(Duration.ofSeconds(10))
                .build()) {
            for (Path file : cases) {
                JsonNode testCase = json.readTree(file.toFile());
                boolean expected = testCase.path("expect").path("allow").asBoolean(false);
                Decision decision = pdp.decide(ContractCases.CONTRACT_PATH,
                        json.convertValue(testCase.get("input"), Map.class));
                if (decision.isFailClosed() || decision.allowed() != expected) {
                    System.err.println("live check: " + file.getFileName() + " expected allow=" + expected
                            + ", the PDP answered " + decision);
                    wrong++;
                }
            }
        }
        if (cases.isEmpty() || wrong > 0) {
            System.err.println("live check: " + wrong + " of " + cases.size() + " contract cases answered wrongly");
            System.exit(1);
        }
        System.out.println("live check: the PDP answered all " + cases.size() + " contract cases as expected");
    }
}
