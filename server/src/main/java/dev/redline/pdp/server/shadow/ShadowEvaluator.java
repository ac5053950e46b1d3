package dev.redline.pdp.server.shadow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.redline.pdp.server.audit.chain.AuditLog;
import dev.redline.pdp.server.audit.chain.PreparedRecord;
import dev.redline.pdp.server.decision.BundleRef;
import dev.redline.pdp.server.decision.Decision;
import dev.redline.pdp.server.decision.DecisionShadow;
import dev.redline.pdp.server.decision.NoDecisionException;
import dev.redline.pdp.server.decision.Obligation;
import dev.redline.pdp.server.decision.PolicyDecider;
import dev.redline.pdp.server.decision.Violation;
import dev.redline.pdp.server.engine.LoadedPolicy;
import dev.redline.pdp.server.policy.ShadowTarget;
import dev.redline.pdp.server.replay.ChangeKind;
import dev.redline.pdp.server.replay.ReplayReport;
import dev.redline.pdp.server.replay.ReplayTally;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Shadow evaluation: each answered decision the sample picks is asked again of the shadowed bundle,
 * on that bundle's own instances and on a few threads of its own, and compared with the answer as a
 * replay compares ({@link ReplayTally}). Each difference is a {@value PreparedRecord#SHADOW} record
 * in the chained decision log.
 *
 * <p>Bounded by design: at most {@code threads} decisions are taken at once (running or handed
 * over); one offered while all are taken is dropped and counted, never queued, so a busy shadow
 * costs the decision path an atomic check and nothing more. A decision taken costs one copy of its
 * input, made while the buffer is still the caller's.
 */
public final class ShadowEvaluator implements DecisionShadow, ShadowTarget, AutoCloseable {
    /** Each evaluation's bound: nobody waits for a shadow, but a stuck one must end. */
    private static final Duration EVALUATION_BOUND = Duration.ofSeconds(10);
    private static final int EXAMPLES = 5;

    /** Told of what the shadow does, e.g. to count it. Must return at once and never throw. */
    public interface Listener {
        Listener NONE = new Listener() {
            @Override
            public void differed(ChangeKind kind) {}

            @Override
            public void dropped() {}
        };

        /** The shadow answered a decision differently. */
        void differed(ChangeKind kind);

        /** A decision was not shadowed because every shadow thread was taken. */
        void dropped();
    }

    /**
     * What the running shadow found since it started.
     *
     * @param startedAt when it started (or, after a restart, when it was first started)
     * @param report the differences, counted as a replay counts them (this process's share)
     * @param dropped decisions not shadowed because the shadow was busy
     * @param unrecorded differences whose {@code shadow} record the log refused
     */
    public record Report(Instant startedAt, ReplayReport report, long dropped, long unrecorded) {}

    private record Running(LoadedPolicy policy, Instant startedAt, ReplayTally tally, LongAdder dropped,
            LongAdder unrecorded) {}

    private final PolicyDecider decider;
    private final Optional<AuditLog> log;
    private final double sampleRate;
    private final Semaphore slots;
    private final ExecutorService workers;
    private final Clock clock;
    private final ObjectMapper json;
    private final Listener listener;
    private volatile Running running;

    /**
     * @param log where differences are recorded ({@code empty} with the decision log off: then they
     *     are only counted)
     * @param sampleRate the share of answered decisions shadowed, 0 to 1
     * @param threads decisions shadowed at once, at most
     */
    public ShadowEvaluator(PolicyDecider decider, Optional<AuditLog> log, double sampleRate, int threads, Clock clock,
            ObjectMapper json, Listener listener) {
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("shadow-sample-rate must be from 0 to 1, got " + sampleRate);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("shadow threads must be at least 1, got " + threads);
        }
        this.decider = decider;
        this.log = log;
        this.sampleRate = sampleRate;
        this.slots = new Semaphore(threads);
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "pdp-shadow-" + count.incrementAndGet());
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY); // the answers' threads come first
            return t;
        });
        this.clock = clock;
        this.json = json;
        this.listener = listener;
    }

    @Override
    public Pending offer(Decision decision, byte[] input, int length) {
        Running shadow = running;
        if (shadow == null || (sampleRate < 1 && ThreadLocalRandom.current().nextDouble() >= sampleRate)) {
            return null;
        }
        if (!slots.tryAcquire()) {
            shadow.dropped().increment();
            listener.dropped();
            return null;
        }
        byte[] asked = Arrays.copyOf(input, length);
        Instant answeredAt = clock.instant();
        return new Pending() {
            @Override
            public void start() {
                try {
                    workers.execute(() -> {
                        try {
                            evaluate(shadow, decision, answeredAt, asked);
                        } finally {
                            slots.release();
                        }
                    });
                } catch (RejectedExecutionException e) {
                    slots.release(); // closing down
                }
            }

            @Override
            public void cancel() {
                slots.release();
            }
        };
    }

    @Override
    public synchronized void start(LoadedPolicy shadow, Instant startedAt) {
        Running before = running;
        running = new Running(shadow, startedAt, new ReplayTally(EXAMPLES), new LongAdder(), new LongAdder());
        if (before != null) {
            before.policy().close(); // an evaluation holding one of its instances finishes on it
        }
    }

    @Override
    public synchronized void stop() {
        Running before = running;
        running = null;
        if (before != null) {
            before.policy().close();
        }
    }

    /** What the running shadow found, if one runs. */
    public Optional<Report> report() {
        Running shadow = running;
        if (shadow == null) {
            return Optional.empty();
        }
        return Optional.of(new Report(shadow.startedAt(), shadow.tally().report(BundleRef.of(shadow.policy().bundle())),
                shadow.dropped().sum(), shadow.unrecorded().sum()));
    }

    @Override
    public void close() {
        stop();
        workers.shutdownNow();
    }

    private void evaluate(Running shadow, Decision active, Instant answeredAt, byte[] input) {
        Decision answer;
        try {
            answer = decider.decideWith(shadow.policy(), active.path(), input, input.length,
                    System.nanoTime() + EVALUATION_BOUND.toNanos(), active.nowNanos());
        } catch (NoDecisionException e) {
            if (running == shadow) {
                shadow.tally().failed(e.kind().name());
            }
            return;
        }
        if (running != shadow) {
            return; // stopped or replaced while it evaluated: no longer what the report is about
        }
        Optional<ChangeKind> change = shadow.tally().shadowed(active, answeredAt, answer);
        if (change.isEmpty()) {
            return;
        }
        listener.differed(change.get());
        log.ifPresent(l -> l.append(record(active, answer, change.get())).whenComplete((receipt, failure) -> {
            if (failure != null) {
                shadow.unrecorded().increment();
            }
        }));
    }

    private PreparedRecord record(Decision active, Decision shadow, ChangeKind change) {
        BundleRef bundle = shadow.bundle();
        return PreparedRecord.builder(PreparedRecord.SHADOW, clock.instant())
                .put("decision_id", active.decisionId())
                .put("path", active.path())
                .put("change", change.key())
                .put("active_allow", active.allow())
                .put("bundle", json.createObjectNode().put("name", bundle.name()).put("revision", bundle.revision())
                        .put("digest", bundle.digest()))
                .put("allow", shadow.allow())
                .put("violations", codes(shadow.violations().stream().map(Violation::code).toList()))
                .put("obligations", codes(shadow.obligations().stream().map(Obligation::code).toList()))
                .build();
    }

    private ArrayNode codes(List<String> codes) {
        ArrayNode array = json.createArrayNode();
        codes.forEach(array::add);
        return array;
    }
}
