package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.AdminCalls;
import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.RunningPdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.redline.pdp.api.v1.AuditServiceGrpc;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.GetDecisionRequest;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logged decisions are evidence about people: only admin-token holders may read them. */
class DecisionLogAccessEndToEndTest {

    @Test
    void decisionLogIsReadableOnlyOnTheAdminPortAndOnlyWithAToken(@TempDir Path dataDir) throws Exception {
        Path tokens = dataDir.resolve("tokens");
        Files.writeString(tokens, "auditor reader auditor-token-0123456789\n");
        try (RunningPdp pdp = RunningPdp.start(PdpConfig.defaults().withDataDir(dataDir).withAdminTokens(tokens))) {
            String id = pdp.decisions().decide(DecideRequest.newBuilder()
                    .setInput(ContractCase.named("allowed-logistics").input()).build()).getDecisionId();
            GetDecisionRequest get = GetDecisionRequest.newBuilder().setDecisionId(id).build();

            StatusRuntimeException onDecisionPort = assertThrows(StatusRuntimeException.class, () ->
                    AuditServiceGrpc.newBlockingStub(pdp.channel).withDeadlineAfter(10, TimeUnit.SECONDS).getDecision(get));
            assertEquals(Status.Code.UNIMPLEMENTED, onDecisionPort.getStatus().getCode());

            StatusRuntimeException anonymous = assertThrows(StatusRuntimeException.class, () ->
                    AuditServiceGrpc.newBlockingStub(pdp.adminChannel).withDeadlineAfter(10, TimeUnit.SECONDS).getDecision(get));
            assertEquals(Status.Code.UNAUTHENTICATED, anonymous.getStatus().getCode());

            assertEquals(id, AuditServiceGrpc.newBlockingStub(pdp.adminChannel)
                    .withCallCredentials(AdminCalls.bearer("auditor-token-0123456789"))
                    .withDeadlineAfter(10, TimeUnit.SECONDS).getDecision(get).getDecisionId());
        }
    }
}
