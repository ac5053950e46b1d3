package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.RunningPdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecisionRecord;
import dev.redline.pdp.api.v1.ListDecisionsRequest;
import dev.redline.pdp.api.v1.ListDecisionsRequest.Outcome;
import dev.redline.pdp.server.audit.chain.MutableClock;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ListDecisions filters the log by time range, outcome, violation code and subject, over real gRPC.
 * The log holds four decisions, a minute apart:
 * <ol>
 *   <li>12:00 "logistics-17": allowed, subject analyst-17
 *   <li>12:01 "targeting-17": denied AUTONOMOUS_WEAPONS and MACHINE_TARGET_SELECTION, subject analyst-17
 *   <li>12:02 "logistics-42": allowed, subject analyst-42
 *   <li>12:03 "social-17": denied SOCIAL_SCORING, subject analyst-17
 * </ol>
 */
class DecisionLogQueryEndToEndTest {
    private static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    static Path auditDir;

    private static RunningPdp pdp;

    @BeforeAll
    static void decideFourTimes() throws Exception {
        MutableClock clock = new MutableClock(NOON);
        pdp = RunningPdp.start(PdpConfig.defaults().withAudit(PdpConfig.defaults().audit().withDir(auditDir)),
                builder -> builder.clock(clock));
        decide("logistics-17", ContractCase.named("allowed-logistics").input());
        clock.advance(Duration.ofMinutes(1));
        decide("targeting-17", ContractCase.named("denied-autonomous-targeting").input());
        clock.advance(Duration.ofMinutes(1));
        decide("logistics-42", withSubject(ContractCase.named("allowed-logistics").input(), "analyst-42"));
        clock.advance(Duration.ofMinutes(1));
        decide("social-17", ContractCase.named("social-scoring").input());
    }

    @AfterAll
    static void stop() throws Exception {
        pdp.close();
    }

    private static void decide(String requestId, Struct input) {
        pdp.decisions().decide(DecideRequest.newBuilder().setRequestId(requestId).setInput(input).build());
    }

    private static Struct withSubject(Struct input, String subjectId) {
        Struct subject = input.getFieldsOrThrow("subject").getStructValue().toBuilder()
                .putFields("id", Value.newBuilder().setStringValue(subjectId).build()).build();
        return input.toBuilder().putFields("subject", Value.newBuilder().setStructValue(subject).build()).build();
    }

    private static List<String> requestIds(ListDecisionsRequest.Builder request) {
        List<String> ids = new ArrayList<>();
        pdp.audit().listDecisions(request.build()).forEachRemaining(r -> ids.add(r.getRequestId()));
        return ids;
    }

    private static Timestamp at(String time) {
        return Timestamp.newBuilder().setSeconds(Instant.parse(time).getEpochSecond()).build();
    }

    @Test
    void withoutFiltersEveryDecisionIsListedInLogOrder() {
        assertEquals(List.of("logistics-17", "targeting-17", "logistics-42", "social-17"),
                requestIds(ListDecisionsRequest.newBuilder()));
    }

    @Test
    void sinceIsInclusiveAndUntilIsExclusive() {
        assertEquals(List.of("targeting-17", "logistics-42"), requestIds(ListDecisionsRequest.newBuilder()
                .setSince(at("2026-03-01T12:01:00Z")).setUntil(at("2026-03-01T12:03:00Z"))));
    }

    @Test
    void allowedOutcomeListsOnlyAllows() {
        assertEquals(List.of("logistics-17", "logistics-42"),
                requestIds(ListDecisionsRequest.newBuilder().setOutcome(Outcome.OUTCOME_ALLOWED)));
    }

    @Test
    void deniedOutcomeListsOnlyDenies() {
        assertEquals(List.of("targeting-17", "social-17"),
                requestIds(ListDecisionsRequest.newBuilder().setOutcome(Outcome.OUTCOME_DENIED)));
    }

    @Test
    void aViolationCodeListsOnlyDecisionsWithThatViolation() {
        assertEquals(List.of("targeting-17"),
                requestIds(ListDecisionsRequest.newBuilder().setViolationCode("AUTONOMOUS_WEAPONS")));
    }

    @Test
    void aSubjectIdListsOnlyThatSubjectsDecisions() {
        assertEquals(List.of("logistics-42"), requestIds(ListDecisionsRequest.newBuilder().setSubjectId("analyst-42")));
    }

    @Test
    void filtersCombine() {
        assertEquals(List.of("social-17"), requestIds(ListDecisionsRequest.newBuilder()
                .setSubjectId("analyst-17").setOutcome(Outcome.OUTCOME_DENIED).setSince(at("2026-03-01T12:02:00Z"))));
    }

    @Test
    void newestFirstWithALimitListsTheNewestDecisions() {
        assertEquals(List.of("social-17", "logistics-42"),
                requestIds(ListDecisionsRequest.newBuilder().setNewestFirst(true).setLimit(2)));
    }

    @Test
    void aLimitInLogOrderListsTheOldestDecisions() {
        assertEquals(List.of("logistics-17"), requestIds(ListDecisionsRequest.newBuilder().setLimit(1)));
    }

    @Test
    void untilBeforeSinceIsInvalidArgument() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> requestIds(ListDecisionsRequest
                .newBuilder().setSince(at("2026-03-01T12:02:00Z")).setUntil(at("2026-03-01T12:01:00Z"))));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("until (2026-03-01T12:01:00Z) is before since (2026-03-01T12:02:00Z)", e.getStatus().getDescription());
    }

    @Test
    void eachListedRecordIsTheSameAsGetDecisionAnswers() {
        List<DecisionRecord> listed = new ArrayList<>();
        pdp.audit().listDecisions(ListDecisionsRequest.getDefaultInstance()).forEachRemaining(listed::add);

        for (DecisionRecord record : listed) {
            assertEquals(record, pdp.audit().getDecision(dev.redline.pdp.api.v1.GetDecisionRequest.newBuilder()
                    .setDecisionId(record.getDecisionId()).build()));
        }
    }
}
