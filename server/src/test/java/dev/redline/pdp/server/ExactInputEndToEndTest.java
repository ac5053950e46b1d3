package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.OpaBundles;
import dev.redline.pdp.server.harness.RunningPdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.Violation;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** input_json and result_json carry numbers exactly over real gRPC; a request with no input asks with none. */
class ExactInputEndToEndTest {
    private static final String BIG = "18446744073709551614";
    private static final String ECHO = """
            package echo

            result := {"allow": false, "next": input.n + 1, "seen": input}

            has_input := {"allow": false, "input_defined": true} if input
            has_input := {"allow": false, "input_defined": false} if not input
            """;

    @TempDir
    static Path workDir;

    @TempDir
    Path auditDir;

    private static Path echoBundle;
    private RunningPdp pdp;

    @BeforeAll
    static void buildEchoBundle() throws Exception {
        echoBundle = OpaBundles.build(workDir, Map.of("echo.rego", ECHO), "echo/result", "echo/has_input");
    }

    @AfterEach
    void stop() throws Exception {
        if (pdp != null) {
            pdp.close();
        }
    }

    private RunningPdp echoPdp() throws Exception {
        pdp = RunningPdp.start(PdpConfig.defaults().withBundle(echoBundle)
                .withAudit(PdpConfig.defaults().audit().withDir(auditDir)));
        return pdp;
    }

    @Test
    void aBigIntegerSentAsInputJsonReachesThePolicyAndComesBackExactly() throws Exception {
        DecideResponse response = echoPdp().decisions().decide(DecideRequest.newBuilder()
                .setPath("echo/result").setInputJson("{\"n\": " + BIG + "}").build());

        assertEquals("{\"allow\":false,\"next\":18446744073709551615,\"seen\":{\"n\":" + BIG + "}}",
                response.getResultJson());
    }

    @Test
    void theResultStructStillCarriesTheResultAsDoubles() throws Exception {
        DecideResponse response = echoPdp().decisions().decide(DecideRequest.newBuilder()
                .setPath("echo/result").setInputJson("{\"n\": 41}").build());

        assertEquals(42.0, response.getResult().getStructValue().getFieldsOrThrow("next").getNumberValue());
        assertEquals("{\"allow\":false,\"next\":42,\"seen\":{\"n\":41}}", response.getResultJson());
    }

    @Test
    void theDecisionLogRecordsTheInputJsonAsEvaluated() throws Exception {
        DecideResponse response = echoPdp().decisions().decide(DecideRequest.newBuilder()
                .setPath("echo/result").setInputJson("{\"n\": " + BIG + "}").build());
        pdp.close();
        pdp = null;

        String line = logLines().filter(l -> l.contains(response.getDecisionId())).findFirst().orElseThrow();
        assertTrue(line.contains("\"input\":{\"n\":" + BIG + "}"), line);
    }

    @Test
    void malformedInputJsonIsRefusedAsInvalidArgument() throws Exception {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> echoPdp().decisions()
                .decide(DecideRequest.newBuilder().setPath("echo/result").setInputJson("{\"n\": 1").build()));

        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("input_json is not well-formed JSON"),
                e.getStatus().getDescription());
    }

    @Test
    void aRequestWithNoInputIsEvaluatedWithInputUndefined() throws Exception {
        DecideResponse response = echoPdp().decisions().decide(DecideRequest.newBuilder()
                .setPath("echo/has_input").build());

        assertEquals("{\"allow\":false,\"input_defined\":false}", response.getResultJson());
    }

    @Test
    void anEmptyStructIsStillTheEmptyObject() throws Exception {
        DecideResponse response = echoPdp().decisions().decide(DecideRequest.newBuilder()
                .setPath("echo/has_input").setInput(com.google.protobuf.Struct.getDefaultInstance()).build());

        assertEquals("{\"allow\":false,\"input_defined\":true}", response.getResultJson());
    }

    @Test
    void theContractPolicyAnswersNoInputWithInvalidInput() throws Exception {
        pdp = RunningPdp.startContract();

        DecideResponse response = pdp.decisions().decide(DecideRequest.newBuilder().setRequestId("none").build());

        assertFalse(response.getAllow());
        assertEquals(List.of(Violation.newBuilder().setCode("INVALID_INPUT").setClause("input")
                .setMessage("input is required and must be an object").build()), response.getViolationsList());
    }

    private Stream<String> logLines() throws Exception {
        try (Stream<Path> files = Files.walk(auditDir)) {
            return files.filter(Files::isRegularFile).toList().stream().flatMap(f -> {
                try {
                    return Files.readAllLines(f, StandardCharsets.UTF_8).stream();
                } catch (Exception e) {
                    return Stream.empty(); // a binary index file, not a log segment
                }
            });
        }
    }
}
