package dev.redline.pdp.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.util.JsonFormat;
import dev.redline.pdp.api.v1.DecideBatchItem;
import dev.redline.pdp.api.v1.DecideBatchRequest;
import dev.redline.pdp.api.v1.DecideBatchResponse;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.sdk.Decision;
import dev.redline.pdp.sdk.DecisionInput;
import dev.redline.pdp.sdk.PdpClient;
import dev.redline.pdp.server.PdpServer;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request files of grpcurl/ are valid requests in the proto's JSON mapping (what grpcurl
 * sends), and the real PDP answers them as grpcurl/README.md says.
 */
class GrpcurlFilesTest {
    private static final Path DIR = Path.of("grpcurl");

    /** What grpcurl/README.md promises for each single-request file. */
    record Expected(boolean allow, List<String> violations, List<String> obligations) {}

    static final Map<String, Expected> DOCUMENTED = Map.of(
            "allowed-logistics.json", new Expected(true, List.of(), List.of()),
            "denied-autonomous-targeting.json",
            new Expected(false, List.of("AUTONOMOUS_WEAPONS", "MACHINE_TARGET_SELECTION"), List.of()),
            "allowed-sigint-minimization.json", new Expected(true, List.of(), List.of("US_PERSON_MINIMIZATION")),
            "allowed-human-decision.json", new Expected(true, List.of(), List.of("HUMAN_DECISION_REQUIRED")),
            "denied-edge-drone.json", new Expected(false, List.of("EDGE_DEPLOYMENT", "EXCLUDED_COMPONENT",
                    "OPERATIONAL_HARDWARE", "SAFETY_STACK_PROVIDER_CONTROLLED"), List.of()),
            "denied-customer-override-refusal.json",
            new Expected(false, List.of("REFUSAL_HONORED", "SAFETY_STACK_PROVIDER_CONTROLLED"), List.of()));

    @TempDir
    static Path dataDir;

    private static PdpServer pdp;
    private static PdpClient client;

    @BeforeAll
    static void start() throws IOException {
        pdp = PdpServer.builder(PdpConfig.defaults().withWarmupTimeout(java.time.Duration.ZERO).withPort(0).withAdminPort(0).withDataDir(dataDir)).start();
        client = PdpClient.builder().target("127.0.0.1:" + pdp.port()).plaintext()
                .defaultDeadline(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        pdp.close();
    }

    static Stream<String> documentedFiles() {
        return DOCUMENTED.keySet().stream().sorted();
    }

    @Test
    void everyRequestFileIsDocumented() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted()
                    .toList();

            assertEquals(Stream.concat(documentedFiles(), Stream.of("batch.json")).sorted().toList(), names);
        }
    }

    @ParameterizedTest
    @MethodSource("documentedFiles")
    void theRealPdpAnswersEachFileAsDocumented(String file) throws IOException {
        DecideRequest.Builder request = DecideRequest.newBuilder();
        JsonFormat.parser().merge(Files.readString(DIR.resolve(file)), request);

        Decision decision = client.decide(DecisionInput.of(request.getPath(), request.getInput()), request.getRequestId());

        assertEquals(DOCUMENTED.get(file),
                new Expected(decision.allowed(), decision.violationCodes(), decision.obligationCodes()));
        assertEquals(file.replace(".json", ""), decision.requestId());
    }

    @Test
    void theBatchFileIsAnsweredInOrderWithTheThirdItemFailingAlone() throws Exception {
        DecideBatchRequest.Builder batch = DecideBatchRequest.newBuilder();
        JsonFormat.parser().merge(Files.readString(DIR.resolve("batch.json")), batch);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", pdp.port()).usePlaintext().build();
        try {
            DecideBatchResponse response = DecisionServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS).decideBatch(batch.build());

            List<DecideBatchItem> items = response.getItemsList();
            assertEquals(List.of(Status.Code.OK, Status.Code.OK, Status.Code.NOT_FOUND),
                    items.stream().map(i -> Status.fromCodeValue(i.getStatus().getCode()).getCode()).toList());
            assertEquals(List.of("b-1", "b-2"),
                    items.subList(0, 2).stream().map(i -> i.getResponse().getRequestId()).toList());
            assertEquals(true, items.get(0).getResponse().getAllow());
            assertEquals(List.of("AUTONOMOUS_WEAPONS", "MACHINE_TARGET_SELECTION"),
                    items.get(1).getResponse().getViolationsList().stream().map(v -> v.getCode()).toList());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
