package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.MetricsScrape;
import dev.redline.pdp.server.harness.RunningPdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.server.bundle.Bundle;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics}, scraped over HTTP from a real PDP after known decisions: the counts are
 * exactly what was sent.
 */
class MetricsEndToEndTest {
    private static final String PATH = "contract/decision";
    private static final String DECIDE = DecisionServiceGrpc.getDecideMethod().getFullMethodName();

    private RunningPdp pdp;

    @AfterEach
    void stop() {
        if (pdp != null) {
            pdp.close();
        }
    }

    @Test
    void metricsAreOffUnlessAPortIsGiven() throws IOException {
        pdp = RunningPdp.startContract();
        assertEquals(Optional.empty(), pdp.server.metricsPort());
    }

    @Test
    void decisionsAreCountedByPathAndOutcomeAndViolationsByCode() throws Exception {
        pdp = startWithMetrics();
        List<ContractCase> cases = ContractCase.all();
        long allowed = 0;
        Map<String, Long> codes = new TreeMap<>();
        for (ContractCase c : cases) {
            DecideResponse answer = decide(c);
            assertEquals(c.allow(), answer.getAllow(), c.name());
            allowed += c.allow() ? 1 : 0;
            c.violations().forEach(v -> codes.merge(v.code(), 1L, Long::sum));
        }
        MetricsScrape scrape = scrape();

        assertEquals(allowed, scrape.value("pdp_decisions_total", Map.of("path", PATH, "outcome", "allow")));
        assertEquals(cases.size() - allowed, scrape.value("pdp_decisions_total", Map.of("path", PATH, "outcome", "deny")));
        for (var code : codes.entrySet()) {
            assertEquals(code.getValue(), scrape.value("pdp_decision_violations_total",
                    Map.of("path", PATH, "code", code.getKey())), code.getKey());
        }
        assertEquals(codes.values().stream().mapToLong(Long::longValue).sum(),
                scrape.sum("pdp_decision_violations_total"));
    }

    @Test
    void everyAnsweredDecisionIsInTheLatencyHistograms() throws Exception {
        pdp = startWithMetrics();
        int sent = 7;
        for (int i = 0; i < sent; i++) {
            decide(ContractCase.named("allowed-logistics"));
        }
        MetricsScrape scrape = scrape();

        for (String histogram : List.of("pdp_decision_duration_seconds", "pdp_decision_evaluation_seconds",
                "pdp_decision_queue_wait_seconds")) {
            assertEquals(sent, scrape.value(histogram + "_count", Map.of()), histogram);
            assertEquals(sent, scrape.value(histogram + "_bucket", Map.of("le", "+Inf")), histogram);
            assertTrue(scrape.has(histogram + "_bucket", Map.of("le", "5.0E-5")), histogram + " resolves 50 µs");
            assertTrue(scrape.has(histogram + "_bucket", Map.of("le", "1.0")), histogram + " resolves 1 s");
        }
    }

    @Test
    void everyRecordIsCountedInOneGroupCommitBatch() throws Exception {
        pdp = startWithMetrics();
        int sent = 5;
        for (int i = 0; i < sent; i++) {
            decide(ContractCase.named("denied-autonomous-targeting"));
        }
        MetricsScrape scrape = scrape();

        assertEquals(sent, scrape.value("pdp_decision_log_batch_records_sum", Map.of()));
        long batches = scrape.value("pdp_decision_log_batch_records_count", Map.of());
        assertEquals(batches, scrape.value("pdp_decision_log_append_seconds_count", Map.of()));
        assertEquals(batches, scrape.value("pdp_decision_log_fsync_seconds_count", Map.of()));
        assertEquals(1, scrape.value("pdp_decision_log_writable", Map.of()));
        assertEquals(0, scrape.value("pdp_decision_log_queue_records", Map.of()));
    }

    @Test
    void failedCallsAreCountedByMethodAndStatus() throws Exception {
        pdp = startWithMetrics();
        int sent = 3;
        for (int i = 0; i < sent; i++) {
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> pdp.decisions()
                    .decide(DecideRequest.newBuilder().setPath("no/such/entrypoint").build()));
            assertEquals(Status.Code.NOT_FOUND, refused.getStatus().getCode());
        }
        decide(ContractCase.named("allowed-logistics"));
        MetricsScrape scrape = scrape();

        assertEquals(sent, scrape.value("pdp_grpc_errors_total", Map.of("method", DECIDE, "code", "NOT_FOUND")));
        assertEquals(sent, scrape.sum("pdp_grpc_errors_total"), "an OK call is not an error");
    }

    @Test
    void theActiveBundleAndItsInstancesAreShown() throws Exception {
        pdp = startWithMetrics();
        Bundle active = pdp.server.activeBundle().orElseThrow();
        MetricsScrape scrape = scrape();

        assertEquals(1, scrape.value("pdp_bundle_active_info",
                Map.of("name", active.name(), "revision", active.revision(), "digest", active.digest())));
        assertEquals(1, scrape.value("pdp_bundle_activations_total", Map.of()));
        assertEquals(3, scrape.value("pdp_instances", Map.of()));
        assertEquals(0, scrape.value("pdp_instances_busy", Map.of()));
    }

    @Test
    void jvmAndProcessMetricsAreServed() throws Exception {
        pdp = startWithMetrics();
        MetricsScrape scrape = scrape();

        assertTrue(scrape.names().contains("jvm_memory_used_bytes"), "JVM memory");
        assertTrue(scrape.names().contains("jvm_threads_current"), "JVM threads");
        assertTrue(scrape.names().contains("process_cpu_seconds_total"), "process CPU");
    }

    private static RunningPdp startWithMetrics() throws IOException {
        return RunningPdp.start(PdpConfig.defaults().withInstances(3).withMetricsPort(0));
    }

    private DecideResponse decide(ContractCase c) {
        return pdp.decisions().decide(DecideRequest.newBuilder().setPath(PATH).setInput(c.input()).build());
    }

    private MetricsScrape scrape() throws Exception {
        return MetricsScrape.of(pdp.server.metricsPort().orElseThrow());
    }
}
