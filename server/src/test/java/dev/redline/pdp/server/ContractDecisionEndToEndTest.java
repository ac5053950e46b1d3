package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.RunningPdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.api.v1.DecideBatchItem;
import dev.redline.pdp.api.v1.DecideBatchRequest;
import dev.redline.pdp.api.v1.DecideBatchResponse;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.Obligation;
import dev.redline.pdp.api.v1.Violation;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The built-in contract bundle, asked over real gRPC on a loopback port, decides as the spec says. */
class ContractDecisionEndToEndTest {
    private static RunningPdp pdp;

    @BeforeAll
    static void start() throws Exception {
        pdp = RunningPdp.startContract();
    }

    @AfterAll
    static void stop() throws Exception {
        pdp.close();
    }

    static List<ContractCase> cases() {
        return ContractCase.all();
    }

    private static DecideResponse decide(ContractCase c) {
        return pdp.decisions().decide(DecideRequest.newBuilder().setRequestId(c.name()).setInput(c.input()).build());
    }

    private static List<ContractCase.ExpectedViolation> violations(DecideResponse response) {
        return response.getViolationsList().stream()
                .map(v -> new ContractCase.ExpectedViolation(v.getCode(), v.getClause())).toList();
    }

    private static List<String> obligationCodes(DecideResponse response) {
        return response.getObligationsList().stream().map(Obligation::getCode).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decidesEachContractCaseExactly(ContractCase c) {
        DecideResponse response = decide(c);

        assertEquals(c.allow(), response.getAllow(), c.description());
        assertEquals(c.violations(), violations(response), c.description());
        assertEquals(c.obligations(), obligationCodes(response), c.description());
    }

    static List<ContractCase> casesWithData() {
        return ContractCase.withData();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("casesWithData")
    void decidesEachContractCaseWithItsOwnDataExactly(ContractCase c, @TempDir Path dir) throws Exception {
        Path bundle = Files.write(dir.resolve("contract-with-data.tar.gz"), c.bundle());
        try (RunningPdp own = RunningPdp.start(PdpConfig.defaults().withBundle(bundle))) {
            DecideResponse response = own.decisions()
                    .decide(DecideRequest.newBuilder().setRequestId(c.name()).setInput(c.input()).build());

            assertEquals(c.allow(), response.getAllow(), c.description());
            assertEquals(c.violations(), violations(response), c.description());
            assertEquals(c.obligations(), obligationCodes(response), c.description());
        }
    }

    @Test
    void corpusCoversEveryCodeAndObligationOfTheSpec() {
        Set<String> covered = new HashSet<>();
        Stream.concat(cases().stream(), casesWithData().stream()).forEach(c -> {
            covered.addAll(c.violationCodes());
            covered.addAll(c.obligations());
        });
        assertEquals(Set.of("INVALID_INPUT", "INSUFFICIENT_CONTEXT", "EXCLUDED_COMPONENT", "EDGE_DEPLOYMENT",
                "OPERATIONAL_HARDWARE", "CLEARED_PERSONNEL_REQUIRED", "CLEARANCE_INSUFFICIENT",
                "PROVIDER_IDENTITY_UNVERIFIED", "SAFETY_STACK_PROVIDER_CONTROLLED", "REFUSAL_HONORED", "AUTONOMOUS_WEAPONS", "MACHINE_TARGET_SELECTION",
                "HUMAN_RESPONSIBILITY_REQUIRED", "DOMESTIC_SURVEILLANCE_US_PERSONS", "MASS_DOMESTIC_SURVEILLANCE",
                "COMMERCIAL_DATA_US_PERSONS", "BULK_COLLECTION_NOT_PERMITTED", "SOCIAL_SCORING",
                "HIGH_STAKES_AUTOMATED_DECISION", "HUMAN_DECISION_REQUIRED", "US_PERSON_MINIMIZATION",
                "HUMAN_REVIEW_REQUIRED", "PROVIDER_OVERRIDE_AUDITED"), covered);
    }

    @Test
    void autonomousTargetingNamesTheRedLineClauseForBothViolations() {
        DecideResponse response = decide(ContractCase.named("denied-autonomous-targeting"));

        assertEquals(List.of("red-line/autonomous-weapons", "red-line/autonomous-weapons"),
                response.getViolationsList().stream().map(Violation::getClause).toList());
        assertTrue(response.getViolationsList().stream().noneMatch(v -> v.getMessage().isBlank()));
        assertTrue(response.getObligationsList().isEmpty());
    }

    @Test
    void responseCarriesTheRawResultTheBundleAndIds() {
        DecideResponse response = decide(ContractCase.named("allowed-logistics"));

        assertEquals("allowed-logistics", response.getRequestId());
        assertEquals("contract/decision", response.getPath());
        assertTrue(response.getResult().getStructValue().getFieldsOrThrow("allow").getBoolValue());
        assertEquals("built-in:contract", response.getBundle().getName());
        assertEquals(pdp.server.activeBundle().orElseThrow().revision(), response.getBundle().getRevision());
        assertTrue(response.getBundle().getRevision().startsWith("sha256:"));
        assertTrue(response.getBundle().getDigest().matches("sha256:[0-9a-f]{64}"));
        assertTrue(response.getDecisionId().matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
        assertTrue(response.getEvalDuration().getSeconds() > 0 || response.getEvalDuration().getNanos() > 0);
    }

    @Test
    void everyDecisionGetsItsOwnId() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ids.add(decide(ContractCase.named("allowed-logistics")).getDecisionId());
        }
        assertEquals(200, ids.size());
    }

    @Test
    void batchAnswersEveryRequestInOrder() {
        List<ContractCase> all = cases();
        DecideBatchRequest.Builder batch = DecideBatchRequest.newBuilder();
        all.forEach(c -> batch.addRequests(DecideRequest.newBuilder().setRequestId(c.name()).setInput(c.input())));

        DecideBatchResponse answer = pdp.decisions().decideBatch(batch.build());

        assertEquals(all.size(), answer.getItemsCount());
        for (int i = 0; i < all.size(); i++) {
            ContractCase c = all.get(i);
            DecideBatchItem item = answer.getItems(i);
            assertEquals(Status.Code.OK.value(), item.getStatus().getCode(), c.name());
            assertEquals(c.name(), item.getResponse().getRequestId());
            assertEquals(c.allow(), item.getResponse().getAllow(), c.name());
            assertEquals(c.violations(), violations(item.getResponse()), c.name());
            assertEquals(c.obligations(), obligationCodes(item.getResponse()), c.name());
        }
    }

    @Test
    void oneFailingBatchItemCarriesItsOwnStatusAndTheOthersAreDecided() {
        ContractCase allowed = ContractCase.named("allowed-logistics");
        DecideBatchRequest batch = DecideBatchRequest.newBuilder()
                .addRequests(DecideRequest.newBuilder().setRequestId("first").setInput(allowed.input()))
                .addRequests(DecideRequest.newBuilder().setRequestId("second").setPath("no/such/rule").setInput(allowed.input()))
                .addRequests(DecideRequest.newBuilder().setRequestId("third").setInput(allowed.input()))
                .build();

        DecideBatchResponse answer = pdp.decisions().decideBatch(batch);

        assertEquals(Status.Code.OK.value(), answer.getItems(0).getStatus().getCode());
        assertTrue(answer.getItems(0).getResponse().getAllow());
        assertEquals(Status.Code.NOT_FOUND.value(), answer.getItems(1).getStatus().getCode());
        assertTrue(answer.getItems(1).getStatus().getMessage().contains("no/such/rule"));
        assertFalse(answer.getItems(1).hasResponse());
        assertEquals(Status.Code.OK.value(), answer.getItems(2).getStatus().getCode());
        assertEquals("third", answer.getItems(2).getResponse().getRequestId());
    }

    @Test
    void manyThreadsDecidingAtOnceAgreeWithSingleThreadedAnswers() throws Exception {
        List<ContractCase> all = cases();
        List<String> expected = new ArrayList<>();
        for (ContractCase c : all) {
            expected.add(verdict(decide(c)));
        }
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                Callable<List<String>> worker = () -> {
                    List<String> seen = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        ContractCase c = all.get((i + offset) % all.size());
                        seen.add(c.name() + "=" + verdict(decide(c)));
                    }
                    return seen;
                };
                results.add(threads.submit(worker));
            }
            for (Future<List<String>> result : results) {
                for (String seen : result.get()) {
                    String name = seen.substring(0, seen.indexOf('='));
                    int index = all.indexOf(ContractCase.named(name));
                    assertEquals(name + "=" + expected.get(index), seen);
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static String verdict(DecideResponse response) {
        return response.getAllow() + " " + response.getViolationsList() + " " + response.getObligationsList();
    }
}
