package dev.redline.pdp.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.bundle.BuiltInBundle;
import dev.redline.pdp.server.bundle.Bundle;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import dev.redline.pdp.server.decision.Caller;
import dev.redline.pdp.server.decision.Decision;
import dev.redline.pdp.server.decision.DecisionLog;
import dev.redline.pdp.server.decision.MaskEvaluator;
import dev.redline.pdp.server.decision.PolicyDecider;
import dev.redline.pdp.server.decision.RecordedDecisions;
import dev.redline.pdp.server.engine.EngineLimits;
import dev.redline.pdp.server.engine.Evaluation;
import dev.redline.pdp.server.engine.PolicyEngine;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One contract decision in process, single-threaded, on the built-in bundle:
 * {@code evaluate} is the engine alone (input bytes in, OPA result set bytes out), {@code decide}
 * adds what the gRPC adapter calls ({@link RecordedDecisions}): path check, result parsing and
 * verdict, with the decision log off (the log's cost is measured end to end, through the server).
 *
 * <p>Sample time, so JMH reports p50/p90/p99/p99.9 per call. Defaults are the full settings;
 * bench/run.sh shortens them with -wi/-i/-w/-r unless run with --full.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
public class EngineBenchmark {
    private static final String PATH = PolicyDecider.DEFAULT_PATH;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Contract cases: allowed, denied on one red line, denied on several at once. */
    @Param({"allowed-logistics", "allowed-targeting-human-decision", "denied-autonomous-targeting",
            "mass-domestic-surveillance", "several-violations-at-once"})
    public String contractCase;

    private PolicyEngine engine;
    private static final Caller CALLER = new Caller(Optional.empty(), Optional.empty());

    private RecordedDecisions decisions;
    private byte[] input;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Bundle bundle = new BundleReader(json, BundleLimits.defaults(), SignaturePolicy.none())
                .read(BuiltInBundle.NAME, BuiltInBundle.archive());
        EngineLimits defaults = EngineLimits.defaults();
        // one instance: the benchmark thread is the only caller
        engine = new PolicyEngine(new EngineLimits(1, defaults.evalTimeout(), defaults.queueTimeout(),
                defaults.maxInputBytes(), defaults.maxMemoryBytes()), json);
        engine.activate(bundle);
        decisions = new RecordedDecisions(new PolicyDecider(engine, json), new MaskEvaluator(engine, json),
                DecisionLog.OFF);
        input = ContractCases.inputJson(contractCase);

        Decision check = decide();
        if (check.allow() != ContractCases.expectedAllow(contractCase)) {
            throw new IllegalStateException(contractCase + ": the engine answered allow=" + check.allow()
                    + " but the contract case expects the opposite; not benchmarking a wrong answer");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    public Evaluation evaluate() {
        return engine.evaluate(PATH, input, input.length, System.nanoTime() + DEADLINE_NANOS);
    }

    @Benchmark
    public Decision decide() {
        long now = System.nanoTime();
        return decisions.decide("", "", input, input.length, now, now + DEADLINE_NANOS, CALLER).join();
    }
}
