package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.RunningPdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.redline.pdp.api.v1.DecideBatchRequest;
import dev.redline.pdp.api.v1.DecideBatchResponse;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.DecisionRecord;
import dev.redline.pdp.api.v1.GetDecisionRequest;
import dev.redline.pdp.api.v1.ListDecisionsRequest;
import dev.redline.pdp.api.v1.Obligation;
import dev.redline.pdp.server.api.CallerIdentity;
import dev.redline.pdp.server.audit.chain.MutableClock;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every decision the PDP answers is in its decision log, with what an auditor needs, readable over gRPC. */
class DecisionLogEndToEndTest {
    private static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");
    private static final Metadata.Key<String> TEST_PRINCIPAL =
            Metadata.Key.of("x-test-principal", Metadata.ASCII_STRING_MARSHALLER);

    @TempDir
    Path auditDir;

    private final MutableClock clock = new MutableClock(NOON);
    private RunningPdp pdp;

    @AfterEach
    void stop() throws Exception {
        if (pdp != null) {
            pdp.close();
        }
    }

    private RunningPdp start(PdpConfig config) throws Exception {
        pdp = RunningPdp.start(config, builder -> builder.clock(clock));
        return pdp;
    }

    private RunningPdp startContract() throws Exception {
        return start(PdpConfig.defaults().withAudit(PdpConfig.defaults().audit().withDir(auditDir)));
    }

    private static DecideRequest request(String requestId, String contractCase) {
        return DecideRequest.newBuilder().setRequestId(requestId).setInput(ContractCase.named(contractCase).input()).build();
    }

    private DecisionRecord record(String decisionId) {
        return pdp.audit().getDecision(GetDecisionRequest.newBuilder().setDecisionId(decisionId).build());
    }

    @Test
    void anAnsweredDecisionHasARecordWithWhatAnAuditorNeeds() throws Exception {
        startContract();
        DecideRequest request = request("req-1", "allowed-logistics");

        DecideResponse response = pdp.decisions().decide(request);
        DecisionRecord record = record(response.getDecisionId());

        assertEquals(response.getDecisionId(), record.getDecisionId());
        assertEquals("req-1", record.getRequestId());
        assertEquals(Timestamp.newBuilder().setSeconds(NOON.getEpochSecond()).build(), record.getTime());
        assertTrue(record.getCaller().getPeer().matches("127\\.0\\.0\\.1:\\d+"), record.getCaller().getPeer());
        assertEquals("", record.getCaller().getPrincipal());
        assertEquals("contract/decision", record.getPath());
        assertEquals(request.getInput(), record.getInput());
        assertEquals(List.of(), record.getMaskedList());
        assertEquals(response.getResult(), record.getResult());
        assertTrue(record.getAllow());
        assertEquals(List.of(), record.getViolationCodesList());
        assertEquals(response.getObligationsList().stream().map(Obligation::getCode).toList(),
                record.getObligationCodesList());
        assertEquals(response.getBundle(), record.getBundle());
        assertEquals(response.getEvalDuration(), record.getEvalDuration());
        assertEquals(1, record.getSeq());
        assertTrue(record.getHash().matches("[0-9a-f]{64}"), record.getHash());
        assertEquals("00000001.jsonl", record.getSegment());
    }

    @Test
    void aDeniedDecisionIsRecordedWithItsViolationCodes() throws Exception {
        startContract();

        DecideResponse response = pdp.decisions().decide(request("req-2", "denied-autonomous-targeting"));
        DecisionRecord record = record(response.getDecisionId());

        assertFalse(record.getAllow());
        assertEquals(List.of("AUTONOMOUS_WEAPONS", "MACHINE_TARGET_SELECTION"), record.getViolationCodesList());
        assertEquals(List.of(), record.getObligationCodesList());
    }

    @Test
    void thePrincipalAnAuthenticationInterceptorSetsIsRecorded() throws Exception {
        ServerInterceptor authentication = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                Context context = Context.current().withValue(CallerIdentity.PRINCIPAL, headers.get(TEST_PRINCIPAL));
                return Contexts.interceptCall(context, call, headers, next);
            }
        };
        pdp = RunningPdp.start(PdpConfig.defaults().withAudit(PdpConfig.defaults().audit().withDir(auditDir)),
                builder -> builder.addInterceptor(authentication));
        Metadata headers = new Metadata();
        headers.put(TEST_PRINCIPAL, "svc-model-serving");

        DecideResponse response = pdp.decisions()
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .decide(request("req-3", "allowed-logistics"));

        assertEquals("svc-model-serving", record(response.getDecisionId()).getCaller().getPrincipal());
    }

    @Test
    void everyDecidedItemOfABatchIsRecordedAndAFailedItemIsNot() throws Exception {
        startContract();
        DecideBatchRequest batch = DecideBatchRequest.newBuilder()
                .addRequests(request("first", "allowed-logistics"))
                .addRequests(request("second", "allowed-logistics").toBuilder().setPath("no/such/rule"))
                .addRequests(request("third", "denied-autonomous-targeting"))
                .build();

        DecideBatchResponse answer = pdp.decisions().decideBatch(batch);
        List<DecisionRecord> records = list(ListDecisionsRequest.getDefaultInstance());

        assertEquals(Status.Code.NOT_FOUND.value(), answer.getItems(1).getStatus().getCode());
        assertEquals(List.of(answer.getItems(0).getResponse().getDecisionId(), answer.getItems(2).getResponse().getDecisionId()),
                records.stream().map(DecisionRecord::getDecisionId).toList());
        assertEquals(List.of("first", "third"), records.stream().map(DecisionRecord::getRequestId).toList());
    }

    @Test
    void aRequestThatProducesNoDecisionIsNotRecorded() throws Exception {
        startContract();

        assertThrows(StatusRuntimeException.class,
                () -> pdp.decisions().decide(request("bad", "allowed-logistics").toBuilder().setPath("no/such/rule").build()));

        assertEquals(List.of(), list(ListDecisionsRequest.getDefaultInstance()));
    }

    @Test
    void getDecisionFindsARecordInASealedSegmentWhoseTimeIsFarFromTheIdsTimestamp() throws Exception {
        startContract(); // the records are stamped by a clock set to 2026-03-01; decision ids carry the real time
        String first = pdp.decisions().decide(request("first", "allowed-logistics")).getDecisionId();
        clock.advance(java.time.Duration.ofHours(2)); // older than the segment age: the next record seals 00000001
        pdp.decisions().decide(request("second", "allowed-logistics"));

        DecisionRecord record = record(first);

        assertTrue(Files.exists(auditDir.resolve("00000001.digest.json")));
        assertEquals("first", record.getRequestId());
        assertEquals("00000001.jsonl", record.getSegment());
    }

    @Test
    void getDecisionOfAnIdNotInTheLogIsNotFound() throws Exception {
        startContract();

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> record("0190f1c2-7a1b-7c3d-8e4f-123456789abc"));

        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals("decision 0190f1c2-7a1b-7c3d-8e4f-123456789abc is not in the decision log (never made, or deleted"
                + " by retention)", e.getStatus().getDescription());
    }

    @Test
    void getDecisionOfSomethingThatIsNotAUuidIsInvalidArgument() throws Exception {
        startContract();

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> record("not-an-id"));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("decision_id \"not-an-id\" is not a UUID", e.getStatus().getDescription());
    }

    @Test
    void healthIsServingWhileTheLogIsWritable() throws Exception {
        startContract();
        pdp.decisions().decide(request("req", "allowed-logistics"));

        assertEquals(ServingStatus.SERVING, pdp.health());
    }

    @Test
    void withTheLogTurnedOffDecisionsAreAnsweredAndNothingIsWritten() throws Exception {
        Path unused = auditDir.resolve("unused");
        start(PdpConfig.defaults().withAudit(PdpConfig.defaults().audit().withDir(unused).withEnabled(false)));

        DecideResponse response = pdp.decisions().decide(request("req", "allowed-logistics"));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> record(response.getDecisionId()));

        assertTrue(response.getAllow());
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertEquals("the decision log is turned off (--no-audit)", e.getStatus().getDescription());
        assertFalse(Files.exists(unused));
    }

    private List<DecisionRecord> list(ListDecisionsRequest request) {
        List<DecisionRecord> records = new java.util.ArrayList<>();
        pdp.audit().listDecisions(request).forEachRemaining(records::add);
        return records;
    }
}
