package dev.redline.pdp.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.redline.pdp.sdk.PdpClient;
import dev.redline.pdp.server.PdpServer;
import dev.redline.pdp.server.config.PdpConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example model server, against a real PDP on a loopback port, prints the contract's verdicts. */
class GuardedModelServerTest {

    @Test
    void printsAllowOrDenyAndWhyForEverySampleRequest(@TempDir Path dataDir) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (PdpServer pdp = PdpServer.builder(PdpConfig.defaults().withPort(0).withAdminPort(0).withDataDir(dataDir)).start();
                PdpClient client = PdpClient.builder().target("127.0.0.1:" + pdp.port()).plaintext()
                        .defaultDeadline(Duration.ofSeconds(10)).build()) {
            GuardedModelServer server = new GuardedModelServer(client, new PrintStream(printed, true, StandardCharsets.UTF_8));
            GuardedModelServer.sampleRequests().forEach(server::serve);
        }

        List<String> verdicts = printed.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.startsWith("ALLOW") || line.startsWith("DENY")).toList();
        assertEquals(List.of(
                "ALLOW  logistics planning",
                "DENY   autonomous targeting -> AUTONOMOUS_WEAPONS, MACHINE_TARGET_SELECTION",
                "ALLOW  human-in-the-loop targeting support (obligations: HUMAN_DECISION_REQUIRED)",
                "ALLOW  foreign SIGINT (obligations: US_PERSON_MINIMIZATION)",
                "DENY   edge deployment on a drone -> EDGE_DEPLOYMENT, OPERATIONAL_HARDWARE",
                "DENY   customer overriding a refusal -> REFUSAL_HONORED, SAFETY_STACK_PROVIDER_CONTROLLED"), verdicts);
    }

    @Test
    void theModelOutputOfAUseOfForceRequestIsMarkedAsAdviceToAHuman(@TempDir Path dataDir) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (PdpServer pdp = PdpServer.builder(PdpConfig.defaults().withPort(0).withAdminPort(0).withDataDir(dataDir)).start();
                PdpClient client = PdpClient.builder().target("127.0.0.1:" + pdp.port()).plaintext()
                        .defaultDeadline(Duration.ofSeconds(10)).build()) {
            new GuardedModelServer(client, new PrintStream(printed, true, StandardCharsets.UTF_8))
                    .serve(GuardedModelServer.sampleRequests().get(2));
        }

        assertEquals(true, printed.toString(StandardCharsets.UTF_8)
                .contains("ADVICE ONLY, an accountable human decides: [model] draft answer to:"));
    }
}
