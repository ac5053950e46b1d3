package dev.redline.pdp.server.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.bundle.BuiltInBundle;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import dev.redline.pdp.server.engine.EvaluationException.Kind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How long a request may wait before its evaluation starts: the queue timeout counts from its
 * arrival, and a request whose deadline has already passed is refused without using, or losing,
 * a policy instance. On the built-in contract bundle, with one instance.
 */
class PolicyEngineQueueTest {
    private static final String PATH = "contract/decision";
    private static final byte[] INPUT = """
            {"subject": {"id": "analyst-7", "org": "customer"}, "action": {"type": "inference"},
             "resource": {"deployment": {"id": "govcloud-east", "target": "cloud_api"}},
             "context": {"purpose": "logistics"}}""".getBytes(StandardCharsets.UTF_8);
    private static final Duration QUEUE_TIMEOUT = Duration.ofMillis(100);
    private static final long ONE_MINUTE = TimeUnit.MINUTES.toNanos(1);

    private PolicyEngine engine;

    @BeforeEach
    void startEngine() throws Exception {
        ObjectMapper json = new ObjectMapper();
        EngineLimits defaults = EngineLimits.defaults();
        engine = new PolicyEngine(new EngineLimits(1, defaults.evalTimeout(), QUEUE_TIMEOUT,
                defaults.maxInputBytes(), defaults.maxMemoryBytes()), json);
        engine.activate(new BundleReader(json, BundleLimits.defaults(), SignaturePolicy.none())
                .read(BuiltInBundle.NAME, BuiltInBundle.archive()));
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    private Evaluation evaluate(long arrivedNanos, long deadlineNanos) {
        return engine.evaluate(PATH, INPUT, INPUT.length, arrivedNanos, deadlineNanos);
    }

    @Test
    void aRequestThatArrivedWithinTheQueueTimeoutIsDecided() {
        long now = System.nanoTime();

        Evaluation evaluation = evaluate(now - QUEUE_TIMEOUT.toNanos() / 2, now + ONE_MINUTE);

        assertTrue(new String(evaluation.resultSet(), StandardCharsets.UTF_8).contains("\"allow\":true"));
    }

    @Test
    void aRequestThatWaitedPastTheQueueTimeoutIsRefusedAsNoInstanceAvailable() {
        long now = System.nanoTime();

        EvaluationException e = assertThrows(EvaluationException.class,
                () -> evaluate(now - 3 * QUEUE_TIMEOUT.toNanos(), now + ONE_MINUTE));

        assertEquals(Kind.NO_INSTANCE_AVAILABLE, e.kind());
        assertTrue(e.getMessage().matches("the request waited \\d+ ms for one of the 1 policy instances"
                + " \\(queue timeout 100 ms\\); retry, or raise --instances"), e.getMessage());
    }

    @Test
    void aRequestWhoseDeadlinePassedBeforeItsEvaluationStartedIsRefusedAsDeadlineExceeded() {
        long now = System.nanoTime();

        EvaluationException e = assertThrows(EvaluationException.class, () -> evaluate(now - 5_000_000, now - 1));

        assertEquals(Kind.DEADLINE_EXCEEDED, e.kind());
        assertTrue(e.getMessage().matches("the caller's deadline passed \\d+ ms after the request arrived,"
                + " before its evaluation could start"), e.getMessage());
    }

    @Test
    void aRequestRefusedForItsDeadlineLeavesTheOnlyInstanceReadyForTheNext() {
        long now = System.nanoTime();
        assertThrows(EvaluationException.class, () -> evaluate(now, now - 1));

        // A discarded instance is rebuilt in the background, which takes far longer than the queue
        // timeout: only an instance returned to the pool can decide this within it.
        long next = System.nanoTime();
        Evaluation evaluation = evaluate(next, next + ONE_MINUTE);

        assertTrue(new String(evaluation.resultSet(), StandardCharsets.UTF_8).contains("\"allow\":true"));
    }
}
