package dev.redline.pdp.server.compliance;

import dev.redline.pdp.server.harness.OpaBundles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.redline.pdp.server.engine.builtins.RegoOrder;
import dev.redline.pdp.server.bundle.Bundle;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import dev.redline.pdp.server.compliance.CaseBundles.Build;
import dev.redline.pdp.server.compliance.CaseBundles.Wrapped;
import dev.redline.pdp.server.compliance.ComplianceReport.Verdict;
import dev.redline.pdp.server.engine.EngineLimits;
import dev.redline.pdp.server.engine.EvaluationException;
import dev.redline.pdp.server.engine.LoadedPolicy;
import dev.redline.pdp.server.engine.PolicyEngine;
import dev.redline.pdp.server.engine.PolicyLoadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * OPA's own v1 compliance cases, from the pinned OPA module, decided by the PDP's engine the way
 * a pushed bundle is: each case's query wrapped as an entrypoint, built with the pinned
 * {@code opa build -t wasm}, read by {@link BundleReader} and evaluated by {@link PolicyEngine}, then
 * compared as OPA's Wasm harness ({@code internal/wasm/sdk/test/e2e}) compares. Cases share
 * bundles (each under its own namespace) so that a run needs few builds and few Wasm compilations.
 * Writes {@code target/compliance-report.txt} and {@code target/compliance-failures.txt}.
 */
class OpaComplianceTest {
    /** The pass ratio this run must reach; raise it as builtins are added, never lower it. */
    private static final double PASS_RATIO_FLOOR = 0.9991;

    private static final int BATCH_SIZE = 40;
    private static final Pattern MISSING_BUILTINS =
            Pattern.compile("policy\\.wasm needs builtins the PDP does not provide: \\[([^\\]]*)\\]");
    private static final Pattern SMOKE_FAILURE = Pattern.compile("smoke evaluation of entrypoint query_(\\d+)/");
    private static final List<String> CONFLICT_MESSAGES = List.of("var assignment conflict", "object insert conflict");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TARGET = Path.of(System.getProperty("pdp.target.dir", "target"));

    private final ComplianceReport report = new ComplianceReport();
    private final BundleReader reader = new BundleReader(JSON, BundleLimits.defaults(), SignaturePolicy.none());
    private CaseBundles bundles;

    @Test
    void opasComplianceCasesDecideAsOpaDecides() throws Exception {
        String opaVersion = System.getProperty("pdp.opa.version");
        Path opaModule = OpaModule.dir(opaVersion);
        List<ComplianceCase> cases = ComplianceCase.loadAll(opaModule.resolve("v1/test/cases/testdata/v1"));
        Map<String, String> exceptions = Exceptions.load(opaModule, cases);
        Path work = Files.createDirectories(TARGET.resolve("compliance-work"));
        bundles = new CaseBundles(dev.redline.pdp.server.harness.OpaBundles.opa(), opaVersion, TARGET.resolve("compliance-bundles"), work);

        List<Wrapped> runnable = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            ComplianceCase c = cases.get(i);
            if (exceptions.containsKey(c.note())) {
                report.record(c, Verdict.EXCLUDED, exceptions.get(c.note()));
            } else if (!c.inputIsSendable()) {
                report.record(c, Verdict.UNWRAPPABLE, "input_term is not JSON: " + c.inputTerm());
            } else {
                runnable.add(bundles.wrap(i, c));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        List<Future<?>> running = new ArrayList<>();
        for (Wrapped alone : runnable.stream().filter(Wrapped::alone).toList()) {
            running.add(pool.submit(() -> {
                decide(List.of(alone));
                return null;
            }));
        }
        runnable.removeIf(Wrapped::alone);
        for (int from = 0; from < runnable.size(); from += BATCH_SIZE) {
            List<Wrapped> batch = runnable.subList(from, Math.min(runnable.size(), from + BATCH_SIZE));
            running.add(pool.submit(() -> {
                decide(batch);
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();

        report.write(TARGET);
        System.out.println("OPA compliance cases (" + opaVersion + "):\n" + report.summary()
                + "details: " + TARGET.resolve("compliance-failures.txt"));
        assertEquals(cases.size(), report.size(), "every case gets a verdict");
        assertTrue(report.passRatio() >= PASS_RATIO_FLOOR, String.format(
                "%.4f of the wrappable cases pass; at least %.4f must", report.passRatio(), PASS_RATIO_FLOOR));
    }

    /** Builds, loads and evaluates one batch; the cases that spoil a shared bundle are decided apart. */
    private void decide(List<Wrapped> batch) throws IOException, InterruptedException {
        Build build = bundles.build(batch);
        if (build.failed()) {
            List<Integer> named = CaseBundles.idsNamedIn(build.error(), batch);
            if (batch.size() == 1) {
                report.record(batch.get(0).source(), Verdict.UNWRAPPABLE, "opa build: " + build.error().strip());
            } else if (!named.isEmpty()) {
                decideApart(batch, named);
            } else {
                bisect(batch);
            }
            return;
        }
        Bundle bundle;
        try {
            bundle = reader.read("compliance", build.archive());
        } catch (Exception e) {
            throw new IllegalStateException("opa built a bundle the PDP cannot read: " + e.getMessage(), e);
        }
        try (PolicyEngine engine = new PolicyEngine(
                new EngineLimits(1, Duration.ofSeconds(20), Duration.ofSeconds(20), 1 << 20, 512L << 20), JSON)) {
            LoadedPolicy loaded;
            try {
                loaded = engine.prepare(bundle);
            } catch (PolicyLoadException e) {
                refused(batch, e.getMessage());
                return;
            }
            engine.activate(loaded);
            for (Wrapped c : batch) {
                evaluate(engine, c);
            }
        }
    }

    private void refused(List<Wrapped> batch, String message) throws IOException, InterruptedException {
        if (batch.size() == 1) {
            ComplianceCase c = batch.get(0).source();
            if (expectsConflict(c) && CONFLICT_MESSAGES.stream().anyMatch(message::contains)) {
                report.record(c, Verdict.PASS, "refused at push: " + message);
            } else {
                report.record(c, Verdict.FAIL, "refused at push: " + message);
            }
            return;
        }
        Matcher missing = MISSING_BUILTINS.matcher(message);
        Matcher smoke = SMOKE_FAILURE.matcher(message);
        if (missing.find()) {
            Set<String> names = Set.of(missing.group(1).split(",\\s*"));
            List<Wrapped> needing = new ArrayList<>();
            for (Wrapped c : batch) {
                Set<String> needs = names.stream().filter(n -> c.source().source().contains(n))
                        .collect(Collectors.toCollection(TreeSet::new));
                if (!needs.isEmpty()) {
                    needing.add(c);
                    report.record(c.source(), Verdict.FAIL, "refused at push: needs builtins the PDP does not"
                            + " provide: " + needs);
                }
            }
            if (needing.isEmpty()) {
                bisect(batch);
            } else {
                List<Wrapped> rest = new ArrayList<>(batch);
                rest.removeAll(needing);
                if (!rest.isEmpty()) {
                    decide(rest);
                }
            }
        } else if (smoke.find()) {
            decideApart(batch, List.of(Integer.parseInt(smoke.group(1))));
        } else {
            bisect(batch);
        }
    }

    private void decideApart(List<Wrapped> batch, List<Integer> ids) throws IOException, InterruptedException {
        List<Wrapped> rest = new ArrayList<>(batch);
        for (int id : ids) {
            Wrapped c = CaseBundles.byId(batch, id).orElseThrow();
            rest.remove(c);
            decide(List.of(c));
        }
        if (!rest.isEmpty()) {
            decide(rest);
        }
    }

    private void bisect(List<Wrapped> batch) throws IOException, InterruptedException {
        int half = batch.size() / 2;
        decide(new ArrayList<>(batch.subList(0, half)));
        decide(new ArrayList<>(batch.subList(half, batch.size())));
    }

    private void evaluate(PolicyEngine engine, Wrapped wrapped) {
        ComplianceCase c = wrapped.source();
        // a case without input asks with none, so its policy sees input undefined, as in OPA
        byte[] input = c.input() == null ? new byte[0] : c.input().toString().getBytes(StandardCharsets.UTF_8);
        JsonNode bindings;
        try {
            byte[] resultSet = engine.evaluate(wrapped.entrypoint(), input, input.length,
                    System.nanoTime() + Duration.ofSeconds(20).toNanos()).resultSet();
            JsonNode rs = JSON.readTree(resultSet);
            bindings = rs.isEmpty() ? JSON.createArrayNode() : rs.get(0).get("result");
        } catch (EvaluationException e) {
            boolean conflict = CONFLICT_MESSAGES.stream().anyMatch(m -> String.valueOf(e.getMessage()).contains(m));
            report.record(c, expectsConflict(c) && conflict ? Verdict.PASS : Verdict.FAIL,
                    "evaluation failed: " + e.kind() + ": " + e.getMessage());
            return;
        } catch (IOException e) {
            report.record(c, Verdict.FAIL, "result is not JSON: " + e.getMessage());
            return;
        }
        report.record(c, verdict(c, bindings), "got " + bindings + "\n want "
                + (c.wantResult() != null ? c.wantResult() : c.strictError() ? "no result" : c.wantErrorCode()));
    }

    /** As OPA's Wasm harness asserts: the result set, or no result for a strict-only error, or an error. */
    private static Verdict verdict(ComplianceCase c, JsonNode bindings) {
        if (c.wantResult() != null) {
            return sameResultSet(c.wantResult(), bindings, c.sortBindings()) ? Verdict.PASS : Verdict.FAIL;
        }
        if (c.wantsError() && c.strictError()) {
            return bindings.isEmpty() ? Verdict.PASS : Verdict.FAIL;
        }
        return Verdict.FAIL; // an error was expected and a result came
    }

    private static boolean expectsConflict(ComplianceCase c) {
        return c.wantsError() && !c.strictError() && "eval_conflict_error".equals(c.wantErrorCode());
    }

    static boolean sameResultSet(JsonNode want, JsonNode got, boolean sortBindings) {
        Set<JsonNode> expected = new TreeSet<>(RegoOrder.INSTANCE);
        want.forEach(expected::add);
        Set<JsonNode> actual = new TreeSet<>(RegoOrder.INSTANCE);
        for (JsonNode b : got) {
            actual.add(sortBindings ? sortedArrays(b) : b);
        }
        if (expected.size() != actual.size()) {
            return false;
        }
        var a = actual.iterator();
        for (JsonNode e : expected) {
            if (RegoOrder.INSTANCE.compare(e, a.next()) != 0) {
                return false;
            }
        }
        return true;
    }

    /** sort_bindings: each binding that is an array is compared as a set. */
    private static JsonNode sortedArrays(JsonNode bindings) {
        var copy = bindings.deepCopy();
        bindings.fields().forEachRemaining(f -> {
            if (f.getValue().isArray()) {
                List<JsonNode> items = new ArrayList<>();
                f.getValue().forEach(items::add);
                items.sort(RegoOrder.INSTANCE);
                ArrayNode sorted = JSON.createArrayNode();
                items.forEach(sorted::add);
                ((com.fasterxml.jackson.databind.node.ObjectNode) copy).set(f.getKey(), sorted);
            }
        });
        return copy;
    }

    /** The committed exceptions, each checked to be of one of the two allowed kinds. */
    static final class Exceptions {
        static Map<String, String> load(Path opaModule, List<ComplianceCase> cases) throws IOException {
            JsonNode opaWasmList = new YAMLMapper().readTree(
                    opaModule.resolve("internal/wasm/sdk/test/e2e/exceptions.yaml").toFile());
            Map<String, ComplianceCase> byNote = new HashMap<>();
            cases.forEach(c -> byNote.put(c.note(), c));
            JsonNode ours;
            try (var in = OpaComplianceTest.class.getResourceAsStream("/compliance/exceptions.yaml")) {
                ours = new YAMLMapper().readTree(in);
            }
            Map<String, String> reasons = new HashMap<>();
            Set<String> problems = new LinkedHashSet<>();
            for (JsonNode e : ours.path("exceptions")) {
                String note = e.path("note").asText();
                String kind = e.path("kind").asText();
                ComplianceCase c = byNote.get(note);
                if (c == null) {
                    problems.add(note + ": no such case");
                } else if (kind.equals("opa-wasm") && !opaWasmList.has(note)) {
                    problems.add(note + ": kind opa-wasm, but OPA's Wasm exceptions do not list it");
                } else if (kind.equals("network") && !c.source().contains("http.send")
                        && !c.source().contains("net.lookup_ip_addr")) {
                    problems.add(note + ": kind network, but it calls neither http.send nor net.lookup_ip_addr");
                } else if (!kind.equals("opa-wasm") && !kind.equals("network")) {
                    problems.add(note + ": kind " + kind + " is not one of the two allowed (opa-wasm, network)");
                } else if (e.path("reason").asText().isBlank()) {
                    problems.add(note + ": no reason");
                }
                reasons.put(note, kind + ": " + e.path("reason").asText());
            }
            assertTrue(problems.isEmpty(), "exceptions.yaml: " + problems);
            return reasons;
        }
    }
}
