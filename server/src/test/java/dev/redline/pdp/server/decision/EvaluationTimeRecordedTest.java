package dev.redline.pdp.server.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.audit.AuditReader;
import dev.redline.pdp.server.audit.AuditSettings;
import dev.redline.pdp.server.audit.DecisionRecorder;
import dev.redline.pdp.server.audit.LoggedDecision;
import dev.redline.pdp.server.audit.MaskRules;
import dev.redline.pdp.server.audit.chain.AuditLog;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import dev.redline.pdp.server.engine.EngineLimits;
import dev.redline.pdp.server.engine.PolicyEngine;
import dev.redline.pdp.server.harness.OpaBundles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code time.now_ns} a policy saw is part of its decision and of the decision record
 * ({@code now_ns}), so that a replay can know the decision's time: a real opa-built bundle on the
 * real engine, recorded in a real decision log.
 */
class EvaluationTimeRecordedTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] INPUT = "{}".getBytes(StandardCharsets.UTF_8);
    private static final Caller CALLER = new Caller(Optional.of("127.0.0.1:40000"), Optional.empty());
    private static final String POLICY = """
            package timed

            timed := {"allow": false, "violations": [], "obligations": [], "now": time.now_ns(), "again": time.now_ns()}

            untimed := {"allow": false, "violations": [], "obligations": []}
            """;
    private static PolicyEngine engine;

    @TempDir
    Path dir;

    @BeforeAll
    static void startEngine(@TempDir Path build) throws Exception {
        Path archive = OpaBundles.build(build, Map.of("timed.rego", POLICY), "timed/timed", "timed/untimed");
        engine = new PolicyEngine(EngineLimits.defaults(), JSON);
        engine.activate(new BundleReader(JSON, BundleLimits.defaults(), SignaturePolicy.none())
                .read("timed", Files.readAllBytes(archive)));
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    private Decision decide(AuditLog log, String path) throws Exception {
        DecisionLog recorder = new DecisionRecorder(log, new MaskRules(List.of()), JSON, Clock.systemUTC());
        RecordedDecisions decisions = new RecordedDecisions(new PolicyDecider(engine, JSON),
                new MaskEvaluator(engine, JSON), recorder);
        long now = System.nanoTime();
        return decisions.decide("r-1", path, INPUT, INPUT.length, now, now + TimeUnit.MINUTES.toNanos(1), CALLER)
                .get(1, TimeUnit.MINUTES);
    }

    private AuditLog openLog() throws Exception {
        return AuditLog.open(AuditSettings.defaults().withDir(dir).chain(), Clock.systemUTC(), (writable, reason) -> {});
    }

    @Test
    void theRecordHoldsTheOneTimeThePolicySaw() throws Exception {
        try (AuditLog log = openLog()) {
            Decision decision = decide(log, "timed/timed");

            long seen = decision.result().path("now").longValue();
            assertEquals(seen, decision.result().path("again").longValue(), "one time for the whole evaluation");
            assertEquals(OptionalLong.of(seen), decision.nowNanos());
            LoggedDecision logged = AuditReader.of(log).find(decision.decisionId()).orElseThrow();
            assertEquals(OptionalLong.of(seen), logged.nowNanos());
        }
    }

    @Test
    void aPolicyThatNeverReadsTheClockRecordsNoTime() throws Exception {
        try (AuditLog log = openLog()) {
            decide(log, "timed/timed"); // an earlier evaluation's time must not leak into the next
            Decision decision = decide(log, "timed/untimed");

            assertTrue(decision.nowNanos().isEmpty());
            assertTrue(AuditReader.of(log).find(decision.decisionId()).orElseThrow().nowNanos().isEmpty());
        }
    }
}
