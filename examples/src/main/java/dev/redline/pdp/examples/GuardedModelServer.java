package dev.redline.pdp.examples;

import dev.redline.pdp.sdk.ContractInput;
import dev.redline.pdp.sdk.ContractInput.ActionType;
import dev.redline.pdp.sdk.ContractInput.Autonomy;
import dev.redline.pdp.sdk.ContractInput.Clearance;
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
import java.util.List;
import java.util.stream.Collectors;

/**
 * Model-serving code guarded by the PDP: every request is checked through the SDK before the
 * (stand-in) model runs, and the obligations of an allowed request are honoured.
 *
 * <pre>
 * ./pdp serve &amp;
 * mvn -q -pl examples exec:java            # or: PDP_TARGET=host:port, or the target as first argument
 * </pre>
 */
public final class GuardedModelServer {

    /** One incoming request to the model: who asks, for what, and the prompt. */
    record ModelRequest(String label, ContractInput input, String prompt) {}

    /** Stands in for the real model. */
    static String model(String prompt) {
        return "[model] draft answer to: " + prompt;
    }

    private final PdpClient pdp;
    private final PrintStream out;

    GuardedModelServer(PdpClient pdp, PrintStream out) {
        this.pdp = pdp;
        this.out = out;
    }

    /** What the model produced, after the obligations of the allowing decision were applied. */
    record Served(String output, List<String> obligations) {}

    /** Serves one request: the model runs only when the PDP allows it. */
    void serve(ModelRequest request) {
        try {
            Served served = pdp.enforce(request.input(),
                    decision -> new Served(honour(decision, model(request.prompt())),
                            decision.obligations().stream().map(Obligation::code).toList()));
            out.println("ALLOW  " + request.label()
                    + (served.obligations().isEmpty() ? "" : " (obligations: " + String.join(", ", served.obligations()) + ")"));
            served.output().lines().forEach(line -> out.println("       " + line));
        } catch (PolicyDeniedException denied) {
            out.println("DENY   " + request.label() + " -> " + denied.violations().stream()
                    .map(Violation::code).collect(Collectors.joining(", ")));
            for (Violation v : denied.violations()) {
                out.println("       why: " + v.code() + " [" + v.clause() + "] " + v.message());
            }
        }
    }

    /** Applies each obligation to the model's output before it leaves the safety stack. */
    private static String honour(Decision decision, String output) {
        StringBuilder guarded = new StringBuilder(output);
        for (Obligation o : decision.obligations()) {
            switch (o.code()) {
                case "HUMAN_DECISION_REQUIRED" -> guarded.insert(0, "ADVICE ONLY, an accountable human decides: ");
                case "HUMAN_REVIEW_REQUIRED" -> guarded.append("\n(queued for human review before it takes effect)");
                case "US_PERSON_MINIMIZATION" -> guarded.append("\n(incidental U.S.-person information minimized)");
                case "PROVIDER_OVERRIDE_AUDITED" -> guarded.append("\n(provider override recorded for audit)");
                default -> guarded.append("\n(obligation ").append(o.code()).append(": ").append(o.message()).append(')');
            }
        }
        return guarded.toString();
    }

    static List<ModelRequest> sampleRequests() {
        return List.of(
                new ModelRequest("logistics planning", ContractInput.builder().subject("analyst-17", Org.CUSTOMER)
                        .clearance(Clearance.NONE).action(ActionType.INFERENCE).deployment("govcloud-east", Target.CLOUD_API)
                        .purpose("logistics").build(), "Plan fuel resupply for three convoys."),
                new ModelRequest("autonomous targeting", ContractInput.builder().subject("analyst-17", Org.CUSTOMER)
                        .clearance(Clearance.SECRET).action(ActionType.INFERENCE)
                        .deployment("govcloud-secret-east", Target.CLOUD_API).purpose("targeting")
                        .useOfForce(true, Autonomy.AUTONOMOUS, Selector.MACHINE, "col-smith").build(),
                        "Select and engage targets in sector 4."),
                new ModelRequest("human-in-the-loop targeting support", ContractInput.builder()
                        .subject("analyst-17", Org.CUSTOMER).clearance(Clearance.SECRET).action(ActionType.INFERENCE)
                        .deployment("govcloud-secret-east", Target.CLOUD_API).purpose("targeting")
                        .useOfForce(true, Autonomy.HUMAN_IN_THE_LOOP, Selector.HUMAN, "col-smith").build(),
                        "Summarize collateral-damage considerations for the targets the colonel selected."),
                new ModelRequest("foreign SIGINT", ContractInput.builder().subject("analyst-17", Org.CUSTOMER)
                        .clearance(Clearance.NONE).action(ActionType.INFERENCE).deployment("govcloud-east", Target.CLOUD_API)
                        .purpose("signals_intelligence")
                        .surveillance(UsPersons.NO, Location.FOREIGN, Scope.TARGETED, null, "eo12333").build(),
                        "Translate and summarize the intercepted foreign communications."),
                new ModelRequest("edge deployment on a drone", ContractInput.builder().subject("analyst-17", Org.CUSTOMER).action(ActionType.INFERENCE)
                        .deployment("drone-7", Target.EDGE).platform("drone").purpose("reconnaissance").build(),
                        "Identify vehicles in this frame."),
                new ModelRequest("customer overriding a refusal", ContractInput.builder().subject("analyst-17", Org.CUSTOMER)
                        .action(ActionType.OVERRIDE_REFUSAL).deployment("govcloud-east", Target.CLOUD_API)
                        .modelRefused(true).build(), "Answer the question you refused."));
    }

    public static void main(String[] args) {
        String target = args.length > 0 ? args[0]
                : System.getenv().getOrDefault("PDP_TARGET", "localhost:9191");
        try (PdpClient pdp = PdpClient.builder().target(target).plaintext().build()) {
            GuardedModelServer server = new GuardedModelServer(pdp, System.out);
            sampleRequests().forEach(server::serve);
        }
    }
}
