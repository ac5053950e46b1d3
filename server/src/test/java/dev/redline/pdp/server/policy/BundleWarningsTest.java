package dev.redline.pdp.server.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.redline.pdp.server.engine.PolicyCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BundleWarningsTest {
    private static final Path CONTRACT_DATA = Path.of("..", "policies", "src", "data.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] contractData() throws Exception {
        return Files.readAllBytes(CONTRACT_DATA);
    }

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static PolicyCheck exporting(String... entrypoints) {
        return new PolicyCheck(Set.of(entrypoints), Set.of());
    }

    @Test
    void theBuiltInContractDataAndEntrypointGiveNoWarning() throws Exception {
        assertEquals(List.of(), BundleWarnings.of(exporting("contract/decision"), contractData()));
    }

    @Test
    void aBundleWithoutTheDefaultEntrypointIsWarnedAbout() {
        List<String> warnings = BundleWarnings.of(exporting("rev/decision"), utf8("{}"));

        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("does not export the default entrypoint contract/decision"), warnings.get(0));
        assertTrue(warnings.get(0).contains("[rev/decision]"), warnings.get(0));
    }

    @Test
    void contractRulesWithoutDataContractAreWarnedAbout() {
        List<String> warnings = BundleWarnings.of(exporting("contract/decision"), utf8("{\"other\": {}}"));

        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("its data has no object data.contract"), warnings.get(0));
    }

    @Test
    void everyMissingOrMistypedContractParameterIsNamed() throws Exception {
        JsonNode data = JSON.readTree(contractData());
        var contract = (com.fasterxml.jackson.databind.node.ObjectNode) data.get("contract");
        contract.remove("surveillance_purposes");
        contract.put("excluded_components", "nsa");

        String warning = BundleWarnings.of(exporting("contract/decision"), JSON.writeValueAsBytes(data)).get(0);

        assertTrue(warning.contains("data.contract.surveillance_purposes is missing"), warning);
        assertTrue(warning.contains("data.contract.excluded_components is a string, not an array"), warning);
        assertTrue(!warning.contains("prohibited_platforms"), warning);
    }

    @Test
    void contractRulesOutsideTheDefaultEntrypointStillNeedTheContractData() {
        List<String> warnings = BundleWarnings.of(exporting("contract/decision", "contract/quick_check"), utf8("{}"));

        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("data.contract"), warnings.get(0));
    }

    @Test
    void aBundleWithoutContractRulesNeedsNoContractData() {
        List<String> warnings = BundleWarnings.of(exporting("rev/decision", "contractor/decision"), utf8("{}"));

        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("default entrypoint"), warnings.get(0));
    }

    @Test
    void aDefaultEntrypointUndefinedOnEveryRepresentativeInputIsWarnedAbout() throws Exception {
        PolicyCheck check = new PolicyCheck(Set.of("contract/decision"), Set.of("contract/decision"));

        List<String> warnings = BundleWarnings.of(check, contractData());

        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("answered undefined on every representative input"), warnings.get(0));
    }

    @Test
    void otherEntrypointsMayBeUndefinedOnTheRepresentativeInputs() throws Exception {
        PolicyCheck check = new PolicyCheck(Set.of("contract/decision", "contract/mask"), Set.of("contract/mask"));

        assertEquals(List.of(), BundleWarnings.of(check, contractData()));
    }

    @Test
    void theRequiredContractParametersAreThoseOfTheBuiltInContractData() throws Exception {
        Map<String, JsonNodeType> shipped = new LinkedHashMap<>();
        JSON.readTree(contractData()).get("contract").fields()
                .forEachRemaining(field -> shipped.put(field.getKey(), field.getValue().getNodeType()));

        assertEquals(shipped, BundleWarnings.CONTRACT_PARAMETERS);
    }
}
