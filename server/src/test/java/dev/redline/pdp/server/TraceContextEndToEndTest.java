package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.RunningPdp;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.server.api.CallerIdentity;
import dev.redline.pdp.server.audit.AuditReader;
import dev.redline.pdp.server.audit.LoggedDecision;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.decision.TraceContext;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A W3C {@code traceparent} sent with a call is in the decision's record; a malformed one is not. */
class TraceContextEndToEndTest {
    private RunningPdp pdp;

    @BeforeEach
    void start() throws Exception {
        pdp = RunningPdp.start(PdpConfig.defaults());
    }

    @AfterEach
    void stop() {
        pdp.close();
    }

    @Test
    void theTraceAndSpanOfAValidTraceparentAreRecorded() throws Exception {
        LoggedDecision logged = decideWith("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        assertEquals(Optional.of(new TraceContext("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331")),
                logged.caller().trace());
    }

    @Test
    void aMalformedTraceparentIsIgnoredAndTheDecisionStillMade() throws Exception {
        LoggedDecision logged = decideWith("00-0af7651916cd43dd8448eb211c80319c-not-a-span-01");

        assertEquals(Optional.empty(), logged.caller().trace());
    }

    private LoggedDecision decideWith(String traceparent) throws Exception {
        Metadata headers = new Metadata();
        headers.put(CallerIdentity.TRACEPARENT, traceparent);
        DecideResponse answer = pdp.decisions().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .decide(DecideRequest.newBuilder().setInput(ContractCase.named("allowed-logistics").input()).build());
        return AuditReader.of(pdp.server.audit().orElseThrow()).find(answer.getDecisionId()).orElseThrow();
    }
}
