package dev.redline.pdp.examples;

import dev.redline.pdp.sdk.ContractInput;
import dev.redline.pdp.sdk.ContractInput.ActionType;
import dev.redline.pdp.sdk.ContractInput.Autonomy;
import dev.redline.pdp.sdk.ContractInput.Clearance;
import dev.redline.pdp.sdk.ContractInput.Impact;
import dev.redline.pdp.sdk.ContractInput.Location;
import dev.redline.pdp.sdk.ContractInput.Org;
import dev.redline.pdp.sdk.ContractInput.Scope;
import dev.redline.pdp.sdk.ContractInput.Selector;
import dev.redline.pdp.sdk.ContractInput.Target;
import dev.redline.pdp.sdk.ContractInput.UsPersons;
import dev.redline.pdp.sdk.Decision;
import dev.redline.pdp.sdk.Obligation;
import dev.redline.pdp.sdk.PdpClient;
import dev.redline.pdp.sdk.PolicyDeniedException;
import dev.redline.pdp.sdk.Violation;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Model-serving code guarded by the PDP. For each incoming request it builds the contract input,
 * asks the PDP through the SDK, runs the (stand-in) model only when allowed, honours the
 * obligations of the allow, and prints allow / deny / why.
 *
 * <pre>
 * ./pdp serve &amp;
 * mvn -q -pl examples exec:java                                  # the PDP on localhost:9191
 * mvn -q -pl examples exec:java -Dexec.args=pdp.internal:9191    # or PDP_TARGET=host:port
 * </pre>
 */
public final class GuardedModelServer {

    /** One request to the model: who asks, for what (the contract input), and the prompt. */
    record ModelRequest(String id, String label, ContractInput input, String prompt) {}

    /** The obligations this server knows how to honour; any other one withholds the output. */
    static final Set<String> HONOURED = Set.of("HUMAN_DECISION_REQUIRED", "HUMAN_REVIEW_REQUIRED",
            "US_PERSON_MINIMIZATION", "PROVIDER_OVERRIDE_AUDITED");

    /** Stands in for the real model: a canned completion. */
    static String cannedModel(String prompt) {
        return "[model] draft answer to: " + prompt;
    }

    private final PdpClient pdp;
    private final UnaryOperator<String> model;
    private final PrintStream out;

    GuardedModelServer(PdpClient pdp, UnaryOperator<String> model, PrintStream out) {
        this.pdp = pdp;
        this.model = model;
        this.out = out;
    }

    /** Serves one request: the model runs only when the PDP allows it. */
    Decision serve(ModelRequest request) {
        try {
            return pdp.enforce(request.input(), request.id(), decision -> {
                out.println("ALLOW  " + request.label() + obligationsNote(decision));
                List<String> unknown = decision.obligationCodes().stream().filter(c -> !HONOURED.contains(c)).toList();
                if (!unknown.isEmpty()) {
                    // An obligation this code cannot honour: do not act on the allow.
                    out.println("       withheld: cannot honour " + String.join(", ", unknown));
                    return decision;
                }
                String output = honour(decision, model.apply(request.prompt()));
                output.lines().forEach(line -> out.println("       " + line));
                out.println("       (decision " + decision.decisionId() + ", bundle revision "
                        + shortRevision(decision.bundleRevision()) + ")");
                return decision;
            });
        } catch (PolicyDeniedException denied) {
            out.println("DENY   " + request.label() + " -> " + String.join(", ", denied.decision().violationCodes()));
            for (Violation v : denied.violations()) {
                out.println("       why: " + v.code() + " [" + v.clause() + "] " + v.message());
            }
            return denied.decision();
        }
    }

    private static String obligationsNote(Decision decision) {
        return decision.obligations().isEmpty() ? ""
                : " (obligations: " + String.join(", ", decision.obligationCodes()) + ")";
    }

    /** Applies each obligation to the model's output before it leaves the safety stack. */
    private static String honour(Decision decision, String output) {
        String guarded = output;
        for (Obligation o : decision.obligations()) {
            guarded = switch (o.code()) {
                case "HUMAN_DECISION_REQUIRED" -> "ADVICE ONLY, an accountable human decides: " + guarded;
                case "HUMAN_REVIEW_REQUIRED" -> guarded + "\n(held for human review before it takes effect)";
                case "US_PERSON_MINIMIZATION" -> guarded + "\n(incidental U.S.-person information minimized)";
                case "PROVIDER_OVERRIDE_AUDITED" -> guarded + "\n(provider override recorded for audit)";
                default -> throw new IllegalStateException("not honoured: " + o.code());
            };
        }
        return guarded;
    }

    private static String shortRevision(String revision) {
        return revision.length() > 19 ? revision.substring(0, 19) + "..." : revision;
    }

    /** The requests this example serves: the spec's three examples and a few more. */
    static List<ModelRequest> sampleRequests() {
        return List.of(
                new ModelRequest("req-1", "logistics planning",
                        analyst(Clearance.NONE, "govcloud-east").purpose("logistics").build(),
                        "Plan fuel resupply for three convoys."),
                new ModelRequest("req-2", "autonomous targeting",
                        analyst(Clearance.SECRET, "govcloud-secret-east").purpose("targeting")
                                .useOfForce(true, Autonomy.AUTONOMOUS, Selector.MACHINE, "col-smith").build(),
                        "Select and engage targets in sector 4."),
                new ModelRequest("req-3", "foreign SIGINT",
                        analyst(Clearance.NONE, "govcloud-east").purpose("signals_intelligence")
                                .surveillance(UsPersons.NO, Location.FOREIGN, Scope.TARGETED, null, "eo12333").build(),
                        "Translate and summarize the intercepted foreign communications."),
                new ModelRequest("req-4", "human-in-the-loop targeting support",
                        analyst(Clearance.SECRET, "govcloud-secret-east").purpose("targeting")
                                .useOfForce(true, Autonomy.HUMAN_IN_THE_LOOP, Selector.HUMAN, "col-smith").build(),
                        "Summarize collateral-damage considerations for the targets the colonel selected."),
                new ModelRequest("req-5", "personnel evaluation with human review",
                        analyst(Clearance.NONE, "govcloud-east").purpose("personnel_evaluation")
                                .automatedDecision(true, Impact.HIGH, true).build(),
                        "Draft performance summaries for the unit's annual reviews."),
                new ModelRequest("req-6", "edge deployment on a drone",
                        ContractInput.builder().subject("analyst-17", Org.CUSTOMER).component("army")
                                .action(ActionType.INFERENCE).model("frontier-2")
                                .deployment("drone-7", Target.EDGE).platform("drone").purpose("reconnaissance").build(),
                        "Identify vehicles in this frame."),
                new ModelRequest("req-7", "customer overriding a refusal",
                        ContractInput.builder().subject("analyst-17", Org.CUSTOMER).action(ActionType.OVERRIDE_REFUSAL)
                                .deployment("govcloud-east", Target.CLOUD_API).modelRefused(true).build(),
                        "Answer the question you refused."),
                new ModelRequest("req-8", "provider overriding a refusal",
                        ContractInput.builder().subject("safety-oncall-2", Org.PROVIDER).action(ActionType.OVERRIDE_REFUSAL)
                                .deployment("govcloud-east", Target.CLOUD_API).modelRefused(true).build(),
                        "Re-run the refused benign request after review."));
    }

    private static ContractInput.Builder analyst(Clearance clearance, String deployment) {
        return ContractInput.builder().subject("analyst-17", Org.CUSTOMER).component("army").clearance(clearance)
                .action(ActionType.INFERENCE).model("frontier-2").deployment(deployment, Target.CLOUD_API);
    }

    /**
     * Serves every sample request against the PDP at {@code target}, printing to {@code out}.
     *
     * @return the decisions, in request order
     */
    static List<Decision> run(String target, PrintStream out) throws InterruptedException {
        // A generous deadline for a demo on a laptop; model serving would keep the 500 ms default.
        try (PdpClient pdp = PdpClient.builder().target(target).plaintext()
                .defaultDeadline(Duration.ofSeconds(2)).build()) {
            out.println("Guarded model server, asking the PDP at " + target);
            out.println();
            // Connect at start-up, so the first request does not pay for it. Not connecting is not
            // fatal: every decision then fails closed.
            pdp.connect(Duration.ofSeconds(2));
            GuardedModelServer server = new GuardedModelServer(pdp, GuardedModelServer::cannedModel, out);
            List<Decision> decisions = sampleRequests().stream().map(server::serve).toList();
            if (decisions.stream().anyMatch(d -> d.hasViolation(Decision.PDP_UNAVAILABLE))) {
                out.println();
                out.println("The PDP at " + target + " is unreachable, so everything was denied (fail closed)."
                        + " Start it with ./pdp serve, or pass host:port / set PDP_TARGET.");
            }
            return decisions;
        }
    }

    public static void main(String[] args) throws InterruptedException {
        String target = args.length > 0 ? args[0] : System.getenv().getOrDefault("PDP_TARGET", "localhost:9191");
        run(target, System.out);
    }

}
