package dev.redline.pdp.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each group of values changes in the rendered manifests, and the settings the chart refuses. */
class ChartValuesTest {
    private final Helm helm = Helm.pinned();

    @Test
    void withoutPersistenceAndKafkaAcknowledgedTheWorkloadIsADeploymentOnAnEmptyDir() {
        RenderedChart chart = helm.template("--set", "persistence.enabled=false", "--set", "kafka.enabled=true",
                "--set", "kafka.brokers=kafka:9092", "--set", "kafka.mode=acknowledged");
        assertTrue(chart.all("StatefulSet").isEmpty());
        chart.one("Deployment");
        assertEquals("2Gi", chart.volume("data").path("emptyDir").path("sizeLimit").asText());
        assertEquals("Deployment", chart.one("HorizontalPodAutoscaler").path("spec").path("scaleTargetRef").path("kind").asText());
    }

    @Test
    void anEphemeralDecisionLogIsRefusedUnlessKafkaAcknowledgesEveryAnswer() {
        String refusal = helm.refusal("--set", "persistence.enabled=false");
        assertTrue(refusal.contains("persistence.enabled=false"), refusal);
        assertTrue(refusal.contains("kafka.mode=acknowledged"), refusal);
        String shippedAfter = helm.refusal("--set", "persistence.enabled=false", "--set", "kafka.enabled=true",
                "--set", "kafka.brokers=kafka:9092", "--set", "kafka.mode=local");
        assertTrue(shippedAfter.contains("allowEphemeralDecisionLog=true"), shippedAfter);
    }

    @Test
    void anAcceptedEphemeralDecisionLogRenders() {
        RenderedChart chart = helm.template("--set", "persistence.enabled=false", "--set", "allowEphemeralDecisionLog=true");
        chart.one("Deployment");
    }

    @Test
    void theAuditKeySecretIsMountedReadOnlyAndGivenToTheKeyFileFlag() {
        RenderedChart chart = helm.template("--set", "auditKey.secretName=audit-hmac", "--set", "auditKey.key=hmac.hex");
        JsonNode volume = chart.volume("audit-key").path("secret");
        assertEquals("audit-hmac", volume.path("secretName").asText());
        assertEquals(0440, volume.path("defaultMode").asInt());
        JsonNode mount = chart.mount("audit-key");
        assertTrue(mount.path("readOnly").asBoolean());
        assertEquals(mount.path("mountPath").asText() + "/hmac.hex", chart.flagValue("--audit-key-file"));
        assertTrue(!chart.flagValue("--audit-key-file").startsWith(chart.flagValue("--data-dir")),
                "the key is kept apart from the log");
    }

    @Test
    void theTlsSecretIsMountedAndItsFilesGivenToTheTlsFlags() {
        RenderedChart chart = helm.template("--set", "tls.enabled=true", "--set", "tls.secretName=pdp-tls");
        assertEquals("pdp-tls", chart.volume("tls").path("secret").path("secretName").asText());
        String dir = chart.mount("tls").path("mountPath").asText();
        assertTrue(chart.mount("tls").path("readOnly").asBoolean());
        assertEquals(dir + "/tls.crt", chart.flagValue("--tls-cert"));
        assertEquals(dir + "/tls.key", chart.flagValue("--tls-key"));
        assertTrue(chart.flag("--tls-client-ca").isEmpty(), "no client CA unless client certificates are checked");
    }

    @Test
    void requiredClientCertificatesAreCheckedAgainstTheSecretsCa() {
        RenderedChart chart = helm.template("--set", "tls.enabled=true", "--set", "tls.secretName=pdp-tls",
                "--set", "tls.clientAuth=require");
        assertEquals(chart.mount("tls").path("mountPath").asText() + "/ca.crt", chart.flagValue("--tls-client-ca"));
        assertEquals("require", chart.flagValue("--tls-client-auth"));
    }

    @Test
    void withTlsTheProbesCheckTheDecisionPortOverTcp() {
        RenderedChart chart = helm.template("--set", "tls.enabled=true", "--set", "tls.secretName=pdp-tls");
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            JsonNode settings = chart.container().path(probe);
            assertTrue(settings.path("grpc").isMissingNode(), probe + ": the kubelet's gRPC probe has no TLS");
            assertEquals("grpc", settings.path("tcpSocket").path("port").asText(), probe);
        }
    }

    @Test
    void grpcProbesWithTlsAreRefused() {
        String refusal = helm.refusal("--set", "tls.enabled=true", "--set", "tls.secretName=pdp-tls", "--set", "probes.mode=grpc");
        assertTrue(refusal.contains("does not speak TLS"), refusal);
    }

    @Test
    void tlsWithoutASecretIsRefused() {
        String refusal = helm.refusal("--set", "tls.enabled=true");
        assertTrue(refusal.contains("tls.secretName"), refusal);
    }

    @Test
    void pullModeRendersTheBundleUrlPollDelaysAndTokenFile() {
        RenderedChart chart = helm.template("--set", "bundle.url=https://bundles.example/contract.tar.gz",
                "--set", "bundle.pollMinDelay=3s", "--set", "bundle.pollMaxDelay=7s", "--set", "bundle.tokenSecret.name=bundle-token");
        assertEquals("https://bundles.example/contract.tar.gz", chart.flagValue("--bundle-url"));
        assertEquals("3s", chart.flagValue("--poll-min-delay"));
        assertEquals("7s", chart.flagValue("--poll-max-delay"));
        assertEquals(chart.mount("bundle-token").path("mountPath").asText() + "/token", chart.flagValue("--bundle-url-token-file"));
    }

    @Test
    void signatureKeysAreMountedFromTheirSecretAndEachNamedByAFlag() {
        RenderedChart chart = helm.template("--set", "bundle.verificationKeysSecret=bundle-keys",
                "--set", "bundle.verificationKeys[0].id=ci", "--set", "bundle.verificationKeys[0].alg=RS256",
                "--set", "bundle.verificationKeys[0].secretKey=ci.pem",
                "--set", "bundle.verificationKeys[1].id=release", "--set", "bundle.verificationKeys[1].alg=ES256",
                "--set", "bundle.verificationKeys[1].secretKey=release.pem", "--set", "bundle.requireSignatures=true");
        String dir = chart.mount("verification-keys").path("mountPath").asText();
        assertEquals(List.of("ci:RS256:" + dir + "/ci.pem", "release:ES256:" + dir + "/release.pem"),
                chart.flag("--verification-key"));
        assertTrue(chart.args().contains("--require-signatures"));
    }

    @Test
    void requiredSignaturesWithoutKeysAreRefused() {
        String refusal = helm.refusal("--set", "bundle.requireSignatures=true");
        assertTrue(refusal.contains("bundle.verificationKeys"), refusal);
    }

    @Test
    void kafkaSettingsBecomeTheShippingFlags() {
        RenderedChart chart = helm.template("--set", "kafka.enabled=true", "--set", "kafka.brokers=k0:9092\\,k1:9092",
                "--set", "kafka.topic=decisions", "--set", "kafka.mode=acknowledged");
        assertEquals("k0:9092,k1:9092", chart.flagValue("--audit-kafka-brokers"));
        assertEquals("decisions", chart.flagValue("--audit-kafka-topic"));
        assertEquals("acknowledged", chart.flagValue("--audit-kafka-mode"));
    }

    @Test
    void kafkaWithoutBrokersIsRefused() {
        String refusal = helm.refusal("--set", "kafka.enabled=true");
        assertTrue(refusal.contains("kafka.brokers"), refusal);
    }

    @Test
    void anUnknownKafkaModeIsRefused() {
        String refusal = helm.refusal("--set", "kafka.enabled=true", "--set", "kafka.brokers=k:9092", "--set", "kafka.mode=eventually");
        assertTrue(refusal.contains("/kafka/mode") && refusal.contains("'local', 'acknowledged'"), refusal);
    }

    @Test
    void adminTokensComeFromTheirSecret() {
        RenderedChart chart = helm.template("--set", "adminTokens.secretName=admins");
        assertEquals(chart.mount("admin-tokens").path("mountPath").asText() + "/admin.tokens", chart.flagValue("--admin-tokens"));
    }

    @Test
    void aFixedReplicaCountWhenTheAutoscalerIsOff() {
        RenderedChart chart = helm.template("--set", "autoscaling.enabled=false", "--set", "replicaCount=3");
        assertTrue(chart.all("HorizontalPodAutoscaler").isEmpty());
        assertEquals(3, chart.workload().path("spec").path("replicas").asInt());
    }

    @Test
    void metricsOffRemovesTheFlagPortAndAnnotations() {
        RenderedChart chart = helm.template("--set", "metrics.enabled=false");
        assertTrue(chart.flag("--metrics-port").isEmpty());
        assertTrue(chart.workload().path("spec").path("template").path("metadata").path("annotations")
                .path("prometheus.io/scrape").isMissingNode());
    }

    @Test
    void maskPointersAndExtraArgumentsAreRenderedAsGiven() {
        RenderedChart chart = helm.template("--set", "pdp.auditMask[0]=/input/subject/id",
                "--set", "pdp.auditMask[1]=/input/request/prompt", "--set", "pdp.extraArgs[0]=--keep-bundles=3");
        assertEquals(List.of("/input/subject/id", "/input/request/prompt"), chart.flag("--audit-mask"));
        assertEquals("--keep-bundles=3", chart.args().get(chart.args().size() - 1));
    }

    @Test
    void aMisspeltValueIsRefusedRatherThanLeftAtItsDefault() {
        String refusal = helm.refusal("--set", "persistance.enabled=false");
        assertTrue(refusal.contains("'persistance' not allowed"), refusal);
    }

    @Test
    void aSwitchGivenAsAStringIsRefused() {
        // "false" as a string would be true in a template: the schema wants a boolean.
        String refusal = helm.refusal("--set-string", "persistence.enabled=false");
        assertTrue(refusal.contains("/persistence/enabled") && refusal.contains("want boolean"), refusal);
    }

    @Test
    void aDurationWithoutItsUnitIsRefused() {
        String refusal = helm.refusal("--set", "pdp.evalTimeout=200");
        assertTrue(refusal.contains("/pdp/evalTimeout"), refusal);
    }
}
