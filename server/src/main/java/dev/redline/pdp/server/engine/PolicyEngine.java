package dev.redline.pdp.server.engine;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.styra.opa.wasm.OpaAbortException;
import dev.redline.pdp.server.bundle.Bundle;
import dev.redline.pdp.server.engine.EvaluationException.Kind;
import dev.redline.pdp.server.engine.builtins.HostBuiltins;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Evaluates OPA Wasm policies: holds the active bundle's instance pool, enforces the deadline,
 * the input cap and the memory cap, and swaps bundles atomically.
 *
 * <p>Thread-safe. A decision takes the bundle that is active when it starts and finishes on it,
 * even if another bundle is activated meanwhile.
 */
public final class PolicyEngine implements AutoCloseable {
    private static final Set<String> HOST_BUILTINS = HostBuiltins.names();

    /**
     * How often deadlines are checked: an evaluation is stopped at most this long after its
     * deadline. Every tick wakes a thread, so a finer one costs CPU on every core's worth of load
     * for precision no caller needs (bench/PERFORMANCE-WORK.md, section 4).
     */
    static final Duration WATCHDOG_TICK = Duration.ofMillis(5);

    /** The least time the smoke evaluation of a bundle's entrypoints gets (see {@code smokeEvaluate}). */
    static final Duration SMOKE_TIMEOUT_FLOOR = Duration.ofSeconds(10);

    /**
     * How many compiled policies are kept: the active one, the previous one (a rollback), one
     * being validated or prepared, and one spare.
     */
    static final int COMPILED_POLICIES_KEPT = 4;

    private final EngineLimits limits;
    private final ObjectMapper json;
    private final CompiledPolicies compiled;
    private final Warmup warmup;
    private final EvaluationWatchdog watchdog;
    private final ExecutorService rebuilder;
    private final AtomicReference<LoadedPolicy> active = new AtomicReference<>();

    public PolicyEngine(EngineLimits limits, ObjectMapper json) {
        this.limits = limits;
        this.warmup = limits.warmupTimeout().isZero() ? null : new Warmup(limits.warmupTimeout(), smokeTimeout(limits));
        this.json = json;
        this.compiled = new CompiledPolicies(COMPILED_POLICIES_KEPT, json);
        this.watchdog = new EvaluationWatchdog(WATCHDOG_TICK);
        this.rebuilder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pdp-instance-rebuilder");
            t.setDaemon(true);
            return t;
        });
    }

    public EngineLimits limits() {
        return limits;
    }

    /**
     * Makes {@code bundle} the one that decides: builds and checks every instance first, then
     * swaps. On failure the previously active bundle stays active and untouched.
     */
    public void activate(Bundle bundle) throws PolicyLoadException {
        activate(prepare(bundle));
    }

    /**
     * Builds every instance of {@code bundle}, runs every check (ABI, builtins, entrypoints, data,
     * a smoke evaluation of each entrypoint) and warms the instances up ({@link Warmup}), without
     * touching the active bundle: until the swap, decisions keep going to it.
     */
    public LoadedPolicy prepare(Bundle bundle) throws PolicyLoadException {
        return load(bundle, limits.instances(), warmup != null);
    }

    /** The entrypoints the manifest declares (the ones callers use), or all the policy exports. */
    private static Map<String, Integer> warmupEntrypoints(Bundle bundle, Map<String, Integer> exported) {
        Map<String, Integer> declared = new java.util.TreeMap<>();
        for (String name : bundle.manifest().wasmEntrypoints()) {
            declared.put(name, exported.get(name));
        }
        return declared.isEmpty() ? new java.util.TreeMap<>(exported) : declared;
    }

    /** How the warm-up of the bundle that decides now went, if it was warmed up. */
    public Optional<WarmupReport> activeWarmup() {
        LoadedPolicy current = active.get();
        return current == null ? Optional.empty() : current.warmup();
    }

    /**
     * Runs every check of {@link #prepare} on one instance, then drops it.
     *
     * @return what the checks found out, as {@link LoadedPolicy#check()} tells it
     */
    public PolicyCheck validate(Bundle bundle) throws PolicyLoadException {
        try (LoadedPolicy loaded = load(bundle, 1, false)) {
            return loaded.check();
        }
    }

    /**
     * Swaps {@code loaded} in as the policy that decides. Decisions already holding an instance
     * of the previous policy finish on it; every decision that starts afterwards sees the new one.
     *
     * @return the bundle that was active before, if any
     */
    public Optional<Bundle> activate(LoadedPolicy loaded) {
        LoadedPolicy previous = active.getAndSet(loaded);
        if (previous == null) {
            return Optional.empty();
        }
        previous.close();
        return Optional.of(previous.bundle());
    }

    /** The bundle that decides now, if any. */
    public Optional<Bundle> activeBundle() {
        LoadedPolicy current = active.get();
        return current == null ? Optional.empty() : Optional.of(current.bundle());
    }

    /** Policy instances of the active bundle (0 before one is active). */
    public int instancesTotal() {
        LoadedPolicy current = active.get();
        return current == null ? 0 : current.pool().size();
    }

    /** Policy instances of the active bundle evaluating now (a snapshot). */
    public int instancesBusy() {
        LoadedPolicy current = active.get();
        return current == null ? 0 : Math.max(0, current.pool().size() - current.pool().idleCount());
    }

    private LoadedPolicy load(Bundle bundle, int instanceCount, boolean warm) throws PolicyLoadException {
        DataMemoryEstimate.of(bundle.dataJson(), json.getFactory()).requireWithin(limits.maxMemoryBytes());
        CompiledPolicy policy = compiled.of(bundle.policyWasm());
        Set<String> missing = new TreeSet<>(policy.hostBuiltins());
        missing.removeAll(HOST_BUILTINS);
        if (!missing.isEmpty()) {
            throw new PolicyLoadException("policy.wasm needs builtins the PDP does not provide: " + missing);
        }
        InstancePool.Factory factory = () -> new InstancePool.PooledInstance(
                new WasmPolicyInstance(policy, bundle.dataJson(), limits.maxMemoryPages(), json),
                watchdog.newGuard());
        List<InstancePool.PooledInstance> instances = new ArrayList<>();
        try {
            for (int i = 0; i < instanceCount; i++) {
                instances.add(factory.create());
            }
            WasmPolicyInstance first = instances.get(0).policy();
            Map<String, Integer> entrypoints = first.entrypoints(json);
            for (String declared : bundle.manifest().wasmEntrypoints()) {
                if (!entrypoints.containsKey(declared)) {
                    throw new PolicyLoadException(
                            ".manifest names entrypoint " + declared + " but policy.wasm does not export it");
                }
            }
            Map<String, byte[]> inputs = representativeInputs(bundle);
            Set<String> alwaysUndefined = smokeEvaluate(instances.get(0), entrypoints, inputs);
            Optional<WarmupReport> warmed = warm
                    ? Optional.of(warmup.run(instances, warmupEntrypoints(bundle, entrypoints), inputs,
                            active.get() != null))
                    : Optional.empty();
            return new LoadedPolicy(bundle, policy, entrypoints, new InstancePool(instances, factory, rebuilder),
                    alwaysUndefined, warmed);
        } catch (PolicyLoadException | RuntimeException e) {
            instances.forEach(i -> i.guard().retire());
            throw e;
        }
    }

    /** The bundle's warm-up inputs by path, or {@code {}} alone when it ships none. */
    private static Map<String, byte[]> representativeInputs(Bundle bundle) {
        return bundle.warmupInputs().isEmpty() ? Map.of("{}", new byte[] {'{', '}'}) : bundle.warmupInputs();
    }

    /**
     * Evaluates every entrypoint on every representative input, so a policy that traps, aborts or
     * loops is refused now rather than at decision time. Its bound is the evaluation timeout but at
     * least {@link #SMOKE_TIMEOUT_FLOOR}: this first evaluation runs before the JIT has compiled the
     * policy, and on a busy machine a sound policy can take far longer than a warm decision.
     *
     * @return the entrypoints that answered undefined on every input: accepted (OPA accepts them),
     *     but they can never decide on such inputs
     */
    private Set<String> smokeEvaluate(InstancePool.PooledInstance instance, Map<String, Integer> entrypoints,
            Map<String, byte[]> inputs) throws PolicyLoadException {
        Duration timeout = smokeTimeout(limits);
        Set<String> alwaysUndefined = new TreeSet<>();
        for (Map.Entry<String, Integer> entrypoint : new java.util.TreeMap<>(entrypoints).entrySet()) {
            boolean defined = false;
            for (Map.Entry<String, byte[]> input : inputs.entrySet()) {
                byte[] document = input.getValue();
                instance.guard().arm(System.nanoTime() + timeout.toNanos());
                byte[] resultSet;
                try {
                    resultSet = instance.policy().evaluate(entrypoint.getValue(), document, document.length);
                } catch (RuntimeException | StackOverflowError e) {
                    boolean interrupted = instance.guard().disarm();
                    throw new PolicyLoadException("smoke evaluation of entrypoint " + entrypoint.getKey()
                            + " on input " + input.getKey() + " failed: " + (interrupted ? "ran past the "
                            + timeout.toMillis() + " ms smoke evaluation timeout" : e.toString()), e);
                }
                instance.guard().disarm();
                defined |= !isUndefined(resultSet);
            }
            if (!defined) {
                alwaysUndefined.add(entrypoint.getKey());
            }
        }
        return alwaysUndefined;
    }

    private static Duration smokeTimeout(EngineLimits limits) {
        return limits.evalTimeout().compareTo(SMOKE_TIMEOUT_FLOOR) > 0 ? limits.evalTimeout() : SMOKE_TIMEOUT_FLOOR;
    }

    /** OPA's result set for an undefined rule is the empty array. */
    private boolean isUndefined(byte[] resultSet) {
        try {
            com.fasterxml.jackson.databind.JsonNode node = json.readTree(resultSet);
            return node != null && node.isArray() && node.isEmpty();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the policy's result set is not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Evaluates {@code path} on the input JSON {@code input[0, length)}, for a request that
     * arrives now.
     *
     * @see #evaluate(String, byte[], int, long, long)
     */
    public Evaluation evaluate(String path, byte[] input, int length, long deadlineNanos) {
        return evaluate(path, input, length, System.nanoTime(), deadlineNanos);
    }

    /**
     * Evaluates {@code path} on the input JSON {@code input[0, length)}.
     *
     * <p>A request that waited (for a thread or a policy instance) longer than the queue timeout
     * since {@code arrivedNanos} is refused with {@link Kind#NO_INSTANCE_AVAILABLE}: under
     * overload, shedding it is better than answering every caller late. A request whose deadline
     * passed before its evaluation could start is refused with {@link Kind#DEADLINE_EXCEEDED}
     * without touching an instance, so an overloaded server does not also discard and rebuild
     * instances.
     *
     * @param arrivedNanos the {@link System#nanoTime()} at which the request arrived
     * @param deadlineNanos a {@link System#nanoTime()} value the caller must have an answer by;
     *     the engine's own evaluation timeout applies too, whichever is earlier
     * @throws EvaluationException when no decision can be produced; never returns an allow it did
     *     not compute
     */
    public Evaluation evaluate(String path, byte[] input, int length, long arrivedNanos, long deadlineNanos) {
        long queueDeadline = Math.min(deadlineNanos, arrivedNanos + limits.queueTimeout().toNanos());
        while (true) {
            LoadedPolicy policy = active.get();
            if (policy == null) {
                throw new EvaluationException(Kind.NO_ACTIVE_BUNDLE, "no policy bundle is active yet");
            }
            int entrypoint = entrypoint(policy, path);
            InstancePool.PooledInstance instance = acquire(policy.pool(), queueDeadline, arrivedNanos, deadlineNanos);
            if (instance == null) {
                continue; // the bundle was replaced while we waited: decide on the new one
            }
            long evalDeadline = Math.min(deadlineNanos, System.nanoTime() + limits.evalTimeout().toNanos());
            return evaluateOn(policy, instance, entrypoint, input, length, evalDeadline, OptionalLong.empty());
        }
    }

    /**
     * Evaluates {@code path} on {@code policy}, active or not: the bundle that made a decision, asked
     * again about it (its decision-log mask). A request that arrives now, under the same limits as
     * {@link #evaluate(String, byte[], int, long, long)}.
     *
     * @throws EvaluationException with {@link Kind#ENGINE_FAILURE} when {@code policy} has been
     *     unloaded since (replaced, and its last decision finished)
     */
    public Evaluation evaluateOn(LoadedPolicy policy, String path, byte[] input, int length, long deadlineNanos) {
        return evaluateOn(policy, path, input, length, deadlineNanos, OptionalLong.empty());
    }

    /**
     * As {@link #evaluateOn(LoadedPolicy, String, byte[], int, long)}, with the policy's
     * {@code time.now_ns} fixed to {@code clock} when given: the time a logged decision had, so that
     * asking again about it (a replay, a shadow) sees the clock the decision saw.
     */
    public Evaluation evaluateOn(LoadedPolicy policy, String path, byte[] input, int length, long deadlineNanos,
            OptionalLong clock) {
        int entrypoint = entrypoint(policy, path);
        long arrived = System.nanoTime();
        long queueDeadline = Math.min(deadlineNanos, arrived + limits.queueTimeout().toNanos());
        InstancePool.PooledInstance instance = acquire(policy.pool(), queueDeadline, arrived, deadlineNanos);
        if (instance == null) {
            throw new EvaluationException(Kind.ENGINE_FAILURE, "bundle " + policy.bundle().name() + " (revision "
                    + policy.bundle().revision() + ") is no longer loaded");
        }
        long evalDeadline = Math.min(deadlineNanos, System.nanoTime() + limits.evalTimeout().toNanos());
        return evaluateOn(policy, instance, entrypoint, input, length, evalDeadline, clock);
    }

    private static int entrypoint(LoadedPolicy policy, String path) {
        Integer entrypoint = policy.entrypoints().get(path);
        if (entrypoint == null) {
            throw new EvaluationException(Kind.UNKNOWN_ENTRYPOINT, "bundle " + policy.bundle().name()
                    + " (revision " + policy.bundle().revision() + ") has no entrypoint " + path
                    + "; it has " + new TreeSet<>(policy.entrypoints().keySet()));
        }
        return entrypoint;
    }

    private InstancePool.PooledInstance acquire(InstancePool pool, long queueDeadline, long arrived, long deadline) {
        long now = System.nanoTime();
        if (now - deadline >= 0) {
            throw deadlinePassed(now - arrived, "before its evaluation could start");
        }
        InstancePool.PooledInstance instance;
        try {
            // past the queue deadline already: shed the request even if an instance happens to be free
            instance = now - queueDeadline >= 0 ? null : pool.acquire(queueDeadline - now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EvaluationException(Kind.ENGINE_FAILURE, "interrupted while waiting for a policy instance", e);
        }
        if (instance != null || pool.isClosed()) {
            return instance;
        }
        long waited = System.nanoTime() - arrived;
        if (arrived + waited - deadline >= 0) {
            throw deadlinePassed(waited, "while it waited for a policy instance");
        }
        throw new EvaluationException(Kind.NO_INSTANCE_AVAILABLE, "the request waited " + waited / 1_000_000
                + " ms for one of the " + pool.size() + " policy instances (queue timeout "
                + limits.queueTimeout().toMillis() + " ms); retry, or raise --instances");
    }

    private static EvaluationException deadlinePassed(long sinceArrivalNanos, String when) {
        return new EvaluationException(Kind.DEADLINE_EXCEEDED, "the caller's deadline passed "
                + sinceArrivalNanos / 1_000_000 + " ms after the request arrived, " + when);
    }

    private Evaluation evaluateOn(LoadedPolicy policy, InstancePool.PooledInstance instance, int entrypoint,
            byte[] input, int length, long deadline, OptionalLong clock) {
        EvaluationWatchdog.Guard guard = instance.guard();
        long start = System.nanoTime();
        byte[] resultSet;
        guard.arm(deadline);
        try {
            resultSet = instance.policy().evaluate(entrypoint, input, length, clock);
        } catch (ChicoryInterruptedException e) {
            guard.disarm();
            policy.pool().discard(instance);
            throw new EvaluationException(Kind.DEADLINE_EXCEEDED, "policy evaluation ran past its deadline of "
                    + (deadline - start) / 1_000_000 + " ms and was stopped", e);
        } catch (EvaluationException e) {
            guard.disarm();
            policy.pool().release(instance); // refused before the policy ran: the instance is intact
            throw e;
        } catch (OpaAbortException | PolicyAbortException e) {
            guard.disarm();
            policy.pool().discard(instance);
            throw new EvaluationException(Kind.ENGINE_FAILURE, "policy aborted: " + e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
            guard.disarm();
            policy.pool().discard(instance);
            throw new EvaluationException(Kind.ENGINE_FAILURE, "policy evaluation failed: " + e, e);
        }
        long elapsed = System.nanoTime() - start;
        guard.disarm(); // a deadline that fired after the result was complete changes nothing
        OptionalLong nowNanos = instance.policy().evaluationTime(); // read before another caller reuses it
        policy.pool().release(instance);
        return new Evaluation(resultSet, policy, elapsed, nowNanos);
    }

    @Override
    public void close() {
        LoadedPolicy current = active.getAndSet(null);
        if (current != null) {
            current.close();
        }
        watchdog.close();
        rebuilder.shutdownNow();
    }
}
