package dev.redline.pdp.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the chart renders with its default values. */
class ChartDefaultsTest {
    private static RenderedChart chart;

    @BeforeAll
    static void render() {
        chart = Helm.pinned().template();
    }

    @Test
    void theDecisionLogPersistsOnAVolumePerReplicaByDefault() {
        JsonNode statefulSet = chart.one("StatefulSet");
        assertTrue(chart.all("Deployment").isEmpty(), "a StatefulSet and no Deployment");
        JsonNode claim = statefulSet.path("spec").path("volumeClaimTemplates").get(0);
        assertEquals("data", claim.path("metadata").path("name").asText());
        assertEquals("10Gi", claim.path("spec").path("resources").path("requests").path("storage").asText());
        assertEquals("/var/lib/redline-pdp", chart.mount("data").path("mountPath").asText());
        assertEquals("/var/lib/redline-pdp", chart.flagValue("--data-dir"));
    }

    @Test
    void claimsOutliveScaleDownAndDeletion() {
        JsonNode retention = chart.one("StatefulSet").path("spec").path("persistentVolumeClaimRetentionPolicy");
        assertEquals("Retain", retention.path("whenScaled").asText());
        assertEquals("Retain", retention.path("whenDeleted").asText());
    }

    @Test
    void theStatefulSetIsGovernedByTheHeadlessService() {
        JsonNode headless = chart.named("Service", "pdp-redline-pdp-headless");
        assertEquals("None", headless.path("spec").path("clusterIP").asText());
        assertEquals(headless.path("metadata").path("name").asText(),
                chart.one("StatefulSet").path("spec").path("serviceName").asText());
    }

    @Test
    void readinessLivenessAndStartupAreGrpcHealthOnTheDecisionPort() {
        int decisionPort = Integer.parseInt(chart.flagValue("--port"));
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            JsonNode grpc = chart.container().path(probe).path("grpc");
            assertEquals(decisionPort, grpc.path("port").asInt(), probe + " probes the decision port over gRPC");
            assertTrue(grpc.path("service").isMissingNode(), probe + " asks for the server's overall health");
        }
        assertEquals("0.0.0.0", chart.flagValue("--bind"), "the kubelet reaches the pod's address, not loopback");
    }

    @Test
    void withoutTlsTheChartSaysPlaintextAdminTokensAreAccepted() {
        assertTrue(chart.args().contains("--allow-plaintext-admin"),
                "pdp serve refuses plaintext admin tokens on 0.0.0.0 unless told: " + chart.args());
    }

    @Test
    void withTlsTheAdminPortIsNotAllowedPlaintext() {
        RenderedChart tls = Helm.pinned().template("--set", "tls.enabled=true", "--set", "tls.secretName=pdp-tls",
                "--set", "probes.mode=tcp");
        assertFalse(tls.args().contains("--allow-plaintext-admin"), tls.args().toString());
    }

    @Test
    void aChartThatRefusesPlaintextAdminNeedsTls() {
        String refusal = Helm.pinned().refusal("--set", "pdp.allowPlaintextAdmin=false");
        assertTrue(refusal.contains("set tls.enabled=true and tls.secretName, or pdp.allowPlaintextAdmin=true"), refusal);
    }

    @Test
    void thePdpDrainsWithinItsShutdownGraceBeforeKubernetesWouldKillIt() {
        assertEquals("10s", chart.flagValue("--shutdown-grace"));
        int kubelet = chart.one("StatefulSet").path("spec").path("template").path("spec")
                .path("terminationGracePeriodSeconds").asInt();
        assertTrue(kubelet > 10, "terminationGracePeriodSeconds " + kubelet + " leaves the drain its 10 s");
    }

    @Test
    void livenessWaitsLongerThanReadinessBeforeActing() {
        JsonNode readiness = chart.container().path("readinessProbe");
        JsonNode liveness = chart.container().path("livenessProbe");
        int readinessWindow = readiness.path("periodSeconds").asInt() * readiness.path("failureThreshold").asInt();
        int livenessWindow = liveness.path("periodSeconds").asInt() * liveness.path("failureThreshold").asInt();
        assertTrue(livenessWindow > readinessWindow,
                "a replica leaves the Service (" + readinessWindow + " s) long before it is restarted (" + livenessWindow + " s)");
    }

    @Test
    void thePodRunsAsNonRootOnAReadOnlyRootFilesystem() {
        JsonNode pod = chart.podSpec().path("securityContext");
        assertTrue(pod.path("runAsNonRoot").asBoolean());
        assertEquals(10001, pod.path("runAsUser").asInt());
        assertEquals("RuntimeDefault", pod.path("seccompProfile").path("type").asText());
        JsonNode container = chart.container().path("securityContext");
        assertTrue(container.path("readOnlyRootFilesystem").asBoolean());
        assertFalse(container.path("allowPrivilegeEscalation").asBoolean(true));
        assertEquals("[\"ALL\"]", container.path("capabilities").path("drop").toString());
        assertFalse(chart.podSpec().path("automountServiceAccountToken").asBoolean(true));
    }

    @Test
    void onlyTheDataDirectoryAndTmpAreWritable() {
        List<String> writable = chart.mounts().stream().filter(m -> !m.path("readOnly").asBoolean())
                .map(m -> m.path("mountPath").asText()).sorted().toList();
        assertEquals(List.of("/tmp", "/var/lib/redline-pdp"), writable);
        assertEquals("256Mi", chart.volume("tmp").path("emptyDir").path("sizeLimit").asText());
    }

    @Test
    void theContainerHasCpuAndMemoryRequestsAndLimits() {
        JsonNode resources = chart.container().path("resources");
        for (String bound : List.of("requests", "limits")) {
            assertFalse(resources.path(bound).path("cpu").asText().isEmpty(), bound + ".cpu");
            assertFalse(resources.path(bound).path("memory").asText().isEmpty(), bound + ".memory");
        }
    }

    @Test
    void theDisruptionBudgetCoversThePods() {
        JsonNode budget = chart.one("PodDisruptionBudget").path("spec");
        assertEquals(1, budget.path("maxUnavailable").asInt());
        assertEquals(chart.workload().path("spec").path("template").path("metadata").path("labels")
                .path("app.kubernetes.io/name"), budget.path("selector").path("matchLabels").path("app.kubernetes.io/name"));
        assertEquals(chart.workload().path("spec").path("selector"), budget.path("selector"));
    }

    @Test
    void theAutoscalerScalesTheWorkloadOnCpu() {
        JsonNode hpa = chart.one("HorizontalPodAutoscaler").path("spec");
        assertEquals("StatefulSet", hpa.path("scaleTargetRef").path("kind").asText());
        assertEquals(chart.workload().path("metadata").path("name").asText(), hpa.path("scaleTargetRef").path("name").asText());
        JsonNode metric = hpa.path("metrics").get(0).path("resource");
        assertEquals("cpu", metric.path("name").asText());
        assertEquals(70, metric.path("target").path("averageUtilization").asInt());
        assertTrue(chart.workload().path("spec").path("replicas").isMissingNode(), "the HPA owns the replica count");
    }

    @Test
    void theMetricsPortIsAnnotatedForScraping() {
        JsonNode annotations = chart.workload().path("spec").path("template").path("metadata").path("annotations");
        assertEquals("true", annotations.path("prometheus.io/scrape").asText());
        assertEquals(chart.flagValue("--metrics-port"), annotations.path("prometheus.io/port").asText());
        assertEquals("/metrics", annotations.path("prometheus.io/path").asText());
        assertTrue(chart.container().path("ports").toString().contains("\"containerPort\":9464"));
    }

    @Test
    void theServiceExposesTheDecisionPortOnly() {
        JsonNode service = chart.named("Service", "pdp-redline-pdp");
        assertEquals(1, service.path("spec").path("ports").size(), "the admin port stays off the Service");
        assertEquals("grpc", service.path("spec").path("ports").get(0).path("targetPort").asText());
        assertEquals(Integer.parseInt(chart.flagValue("--port")), service.path("spec").path("ports").get(0).path("port").asInt());
    }

    @Test
    void withoutSecretsNoSecretIsMountedAndTheBuiltInBundleIsServed() {
        assertTrue(chart.mounts().stream().allMatch(m -> List.of("data", "tmp").contains(m.path("name").asText())));
        assertTrue(chart.flag("--bundle-url").isEmpty());
        assertTrue(chart.flag("--audit-key-file").isEmpty());
        assertTrue(chart.flag("--tls-cert").isEmpty());
        assertTrue(chart.flag("--audit-kafka-bootstrap-servers").isEmpty());
    }
}
