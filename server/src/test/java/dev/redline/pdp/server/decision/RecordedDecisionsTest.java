package dev.redline.pdp.server.decision;

import dev.redline.pdp.server.harness.ColdEngine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.audit.chain.AuditLog;
import dev.redline.pdp.server.audit.AuditReader;
import dev.redline.pdp.server.audit.AuditSettings;
import dev.redline.pdp.server.audit.DecisionRecorder;
import dev.redline.pdp.server.audit.LoggedDecision;
import dev.redline.pdp.server.audit.MaskRules;
import dev.redline.pdp.server.bundle.BuiltInBundle;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import dev.redline.pdp.server.engine.PolicyEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in contract bundle on the real engine, recorded in a real decision log. */
class RecordedDecisionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] INPUT = "{\"purpose\":\"logistics\"}".getBytes(StandardCharsets.UTF_8);
    private static final Caller CALLER = new Caller(Optional.of("127.0.0.1:40000"), Optional.of("tester"));
    private static PolicyEngine engine;

    @TempDir
    Path dir;

    @BeforeAll
    static void startEngine() throws Exception {
        engine = new PolicyEngine(ColdEngine.limits(), JSON);
        engine.activate(new BundleReader(JSON, BundleLimits.defaults(), SignaturePolicy.none())
                .read(BuiltInBundle.NAME, BuiltInBundle.archive()));
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    private RecordedDecisions recordingIn(AuditLog log) {
        DecisionLog recorder = new DecisionRecorder(log, new MaskRules(List.of()), JSON, Clock.systemUTC());
        return new RecordedDecisions(new PolicyDecider(engine, JSON), new MaskEvaluator(engine, JSON), recorder);
    }

    private static CompletableFuture<Decision> decide(RecordedDecisions decisions) {
        long now = System.nanoTime();
        return decisions.decide("r-1", "", INPUT, INPUT.length, now, now + TimeUnit.MINUTES.toNanos(1), CALLER);
    }

    private AuditLog openLog() throws Exception {
        return AuditLog.open(AuditSettings.defaults().withDir(dir).chain(), Clock.systemUTC(), (writable, reason) -> {});
    }

    @Test
    void aDecisionWhoseRecordFailsIsNeverReturned() throws Exception {
        AuditLog log = openLog();
        log.close(); // a closed log refuses every record

        CompletableFuture<Decision> decided = decide(recordingIn(log));

        ExecutionException failed = assertThrows(ExecutionException.class, () -> decided.get(1, TimeUnit.MINUTES));
        assertInstanceOf(DecisionNotRecordedException.class, failed.getCause());
        assertEquals("the decision was made but not recorded, so it is withheld: the decision log is closed",
                failed.getCause().getMessage());
    }

    @Test
    void aDecisionIsReturnedOnlyOnceItsRecordIsInTheLog() throws Exception {
        try (AuditLog log = openLog()) {
            Decision decision = decide(recordingIn(log)).get(1, TimeUnit.MINUTES);

            Optional<LoggedDecision> logged = AuditReader.of(log).find(decision.decisionId());
            assertTrue(logged.isPresent(), "the returned decision is in the log");
            assertEquals(decision.allow(), logged.get().allow());
            assertEquals(Optional.of("tester"), logged.get().caller().principal());
        }
    }

    @Test
    void aRequestWithNoDecisionFailsAtOnceAndIsNotRecorded() throws Exception {
        try (AuditLog log = openLog()) {
            long now = System.nanoTime();
            NoDecisionException refused = assertThrows(NoDecisionException.class, () -> recordingIn(log)
                    .decide("r-2", "no/such/rule", INPUT, INPUT.length, now, now + TimeUnit.MINUTES.toNanos(1), CALLER));
            assertEquals(NoDecisionException.Kind.UNKNOWN_ENTRYPOINT, refused.kind());
        }
    }
}
