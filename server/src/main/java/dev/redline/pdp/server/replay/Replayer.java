package dev.redline.pdp.server.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.audit.LoggedDecision;
import dev.redline.pdp.server.decision.BundleRef;
import dev.redline.pdp.server.decision.Decision;
import dev.redline.pdp.server.decision.NoDecisionException;
import dev.redline.pdp.server.decision.PolicyDecider;
import dev.redline.pdp.server.engine.LoadedPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asks a candidate bundle the questions the log holds and compares its answers with the logged
 * ones. One implementation for {@code pdp replay}, the activation gate and the shadow report.
 *
 * <p>Records whose input was masked, in part or whole, or whose mask policy failed, are skipped
 * and counted by reason: asked on what is left, the candidate would answer a different question.
 * Evaluation runs on the candidate's own instances, one thread per instance, while the caller's
 * thread reads the log.
 */
public final class Replayer {
    /** A record whose input lost some of its members to masking. */
    public static final String SKIPPED_MASKED = "masked";
    /** A record whose bundle's mask policy failed: its input and result were masked whole. */
    public static final String SKIPPED_MASK_ERROR = "mask_error";

    /** Each evaluation's bound: generous, since a replay is not answering anyone. */
    private static final Duration EVALUATION_BOUND = Duration.ofSeconds(30);

    private final PolicyDecider decider;
    private final ObjectMapper json;

    public Replayer(PolicyDecider decider, ObjectMapper json) {
        this.decider = decider;
        this.json = json;
    }

    /**
     * Replays what {@code source} holds that {@code criteria} selects on {@code candidate}.
     *
     * @param parallelism threads evaluating at once (at most the candidate's instances help)
     * @param examplesPerKind how many example decision ids each kind of change keeps
     * @throws IOException when the log cannot be read
     */
    public ReplayReport replay(LoadedPolicy candidate, DecisionSource source, ReplayCriteria criteria,
            int parallelism, int examplesPerKind) throws IOException, InterruptedException {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        ReplayTally tally = new ReplayTally(examplesPerKind);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "pdp-replay-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // a few records in hand per thread: the reader stays ahead without holding the log in memory
        Semaphore inFlight = new Semaphore(parallelism * 4);
        InterruptedException[] interrupted = {null};
        int[] taken = {0};
        try {
            source.forEach(criteria, logged -> {
                if (!criteria.matches(logged)) {
                    return true;
                }
                taken[0]++;
                if (!logged.masked().isEmpty()) {
                    tally.skipped(SKIPPED_MASKED);
                } else if (logged.maskError().isPresent()) {
                    tally.skipped(SKIPPED_MASK_ERROR);
                } else {
                    try {
                        inFlight.acquire();
                    } catch (InterruptedException e) {
                        interrupted[0] = e;
                        return false;
                    }
                    workers.execute(() -> {
                        try {
                            ask(candidate, logged, tally);
                        } finally {
                            inFlight.release();
                        }
                    });
                }
                return criteria.limit() == 0 || taken[0] < criteria.limit();
            });
        } finally {
            workers.shutdown();
        }
        if (interrupted[0] != null) {
            workers.shutdownNow();
            throw interrupted[0];
        }
        if (!workers.awaitTermination(1, TimeUnit.DAYS)) {
            throw new IllegalStateException("replay workers did not finish");
        }
        return tally.report(BundleRef.of(candidate.bundle()));
    }

    private void ask(LoadedPolicy candidate, LoggedDecision logged, ReplayTally tally) {
        try {
            // no input logged and nothing masked: the request had none, and is asked with none again
            byte[] input = logged.input().isMissingNode() ? new byte[0] : json.writeValueAsBytes(logged.input());
            // asked at the time the decision had: a time-dependent policy answers as it did then
            Decision answer = decider.decideWith(candidate, logged.path(), input, input.length,
                    System.nanoTime() + EVALUATION_BOUND.toNanos(), logged.nowNanos());
            tally.answered(logged, answer);
        } catch (NoDecisionException e) {
            tally.failed(e.kind().name());
        } catch (JsonProcessingException | RuntimeException e) {
            tally.failed("UNREADABLE_RECORD");
        }
    }
}
