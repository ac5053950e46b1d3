package dev.redline.pdp.server.engine.builtins;

import com.styra.opa.wasm.OpaBuiltin;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * The builtins the PDP provides to policies on the host, each defined by OPA's Go implementation
 * (topdown/*.go) and OPA's compliance cases. One set per policy instance, since some keep state
 * for one evaluation at a time (see {@link EvaluationScope}). A bundle needing a builtin not here is
 * refused at push, naming it.
 */
public final class HostBuiltins {
    private static final Set<String> NAMES = Set.copyOf(bodies(new EvaluationScope()).keySet());

    private final EvaluationScope evaluation = new EvaluationScope();
    private final OpaBuiltin.Builtin[] builtins;

    public HostBuiltins() {
        this.builtins = bodies(evaluation).entrySet().stream()
                .map(e -> new HostFunction(e.getKey(), e.getValue()))
                .toArray(OpaBuiltin.Builtin[]::new);
    }

    /** The names of every builtin the host provides. */
    public static Set<String> names() {
        return NAMES;
    }

    /** One builtin's body, for tests that call it without a policy. */
    static HostFunction.Body body(String name) {
        return bodies(new EvaluationScope()).get(name);
    }

    public OpaBuiltin.Builtin[] all() {
        return builtins.clone();
    }

    /** Starts a new evaluation: values fixed for one evaluation (time.now_ns, rand.intn) are drawn afresh. */
    public void startEvaluation() {
        evaluation.reset(OptionalLong.empty());
    }

    /**
     * Starts a new evaluation that asks again about a decision already made: its {@code time.now_ns}
     * is {@code clock}, the time the decision had (a replay, a shadow), when the decision read one.
     */
    public void startEvaluation(OptionalLong clock) {
        evaluation.reset(clock);
    }

    /** The {@code time.now_ns} of the evaluation that ran last, if it read the clock. */
    public OptionalLong evaluationTime() {
        return evaluation.clockRead();
    }

    private static Map<String, HostFunction.Body> bodies(EvaluationScope evaluation) {
        Map<String, HostFunction.Body> b = new TreeMap<>();
        StringBuiltins.addTo(b);
        UnitsBuiltins.addTo(b);
        EncodingBuiltins.addTo(b);
        TimeBuiltins.addTo(b, evaluation);
        CollectionBuiltins.addTo(b);
        CryptoBuiltins.addTo(b);
        RandomBuiltins.addTo(b, evaluation);
        NetBuiltins.addTo(b);
        UrlQueryBuiltins.addTo(b);
        SemverBuiltins.addTo(b);
        RegexBuiltins.addTo(b);
        JwtBuiltins.addTo(b, evaluation);
        UriBuiltins.addTo(b);
        UuidBuiltins.addTo(b);
        GraphBuiltins.addTo(b);
        GraphqlBuiltins.addTo(b);
        JsonPatchBuiltins.addTo(b);
        JsonSchemaBuiltins.addTo(b);
        GlobsMatchBuiltins.addTo(b);
        TemplateBuiltins.addTo(b);
        RuntimeBuiltins.addTo(b);
        AwsSigningBuiltins.addTo(b);
        X509Builtins.addTo(b);
        return b;
    }
}
