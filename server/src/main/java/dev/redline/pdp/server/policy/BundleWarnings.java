package dev.redline.pdp.server.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.redline.pdp.server.decision.PolicyDecider;
import dev.redline.pdp.server.engine.PolicyCheck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Why a bundle that OPA would accept may still never decide. Such a bundle is accepted (the
 * caller may mean it, e.g. for entrypoints other than the default), and these warnings go with
 * the push answer and the status, so nobody finds out from a stream of denials.
 */
public final class BundleWarnings {
    /**
     * What the built-in contract rules read from {@code data.contract}, and the JSON type each
     * parameter must have: the shape of policies/src/data.json (a test keeps the two equal).
     */
    static final Map<String, JsonNodeType> CONTRACT_PARAMETERS = contractParameters();

    private static final String CONTRACT_PACKAGE = "contract";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BundleWarnings() {}

    /**
     * The warnings for a bundle.
     *
     * @param check what loading the bundle's policy found out
     * @param dataJson the bundle's merged data document
     */
    public static List<String> of(PolicyCheck check, byte[] dataJson) {
        Set<String> entrypoints = check.entrypoints();
        Set<String> alwaysUndefined = check.alwaysUndefined();
        List<String> warnings = new ArrayList<>();
        String standard = PolicyDecider.DEFAULT_PATH;
        if (!entrypoints.contains(standard)) {
            warnings.add("the bundle does not export the default entrypoint " + standard
                    + ": requests that name no path are refused (it exports " + entrypoints + ")");
        } else if (alwaysUndefined.contains(standard)) {
            warnings.add("the default entrypoint " + standard + " answered undefined on every representative input"
                    + " (the bundle's warmup/*.json inputs, else {}): such requests are denied with no decision");
        }
        if (entrypoints.stream().anyMatch(BundleWarnings::inContractPackage)) {
            contractDataProblem(data(dataJson)).ifPresent(problem -> warnings.add("the bundle has contract rules but "
                    + problem + ": the contract rules deny every request without it (compare policies/src/data.json)"));
        }
        return List.copyOf(warnings);
    }

    private static boolean inContractPackage(String entrypoint) {
        return entrypoint.equals(CONTRACT_PACKAGE) || entrypoint.startsWith(CONTRACT_PACKAGE + "/");
    }

    /** What is missing or mistyped in {@code data.contract}, naming every such parameter. */
    private static java.util.Optional<String> contractDataProblem(JsonNode data) {
        JsonNode contract = data.path(CONTRACT_PACKAGE);
        if (!contract.isObject()) {
            return java.util.Optional.of("its data has no object data.contract");
        }
        List<String> wrong = new ArrayList<>();
        CONTRACT_PARAMETERS.forEach((name, type) -> {
            JsonNode value = contract.get(name);
            if (value == null) {
                wrong.add("data.contract." + name + " is missing");
            } else if (value.getNodeType() != type) {
                wrong.add("data.contract." + name + " is " + article(value.getNodeType()) + ", not " + article(type));
            }
        });
        return wrong.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(String.join(", ", wrong));
    }

    private static String article(JsonNodeType type) {
        String name = type.name().toLowerCase(java.util.Locale.ROOT);
        return (name.startsWith("a") || name.startsWith("o") ? "an " : "a ") + name;
    }

    private static JsonNode data(byte[] dataJson) {
        try {
            JsonNode node = JSON.readTree(dataJson);
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            // The reader parsed and merged this document already.
            throw new IllegalStateException("bundle data is not JSON: " + e.getMessage(), e);
        }
    }

    private static Map<String, JsonNodeType> contractParameters() {
        Map<String, JsonNodeType> parameters = new LinkedHashMap<>();
        for (String list : List.of("prohibited_platforms", "use_of_force_purposes", "surveillance_purposes",
                "high_impact_purposes", "excluded_components", "provider_principals")) {
            parameters.put(list, JsonNodeType.ARRAY);
        }
        parameters.put("deployments", JsonNodeType.OBJECT);
        parameters.put("settings", JsonNodeType.OBJECT);
        return java.util.Collections.unmodifiableMap(parameters);
    }
}
