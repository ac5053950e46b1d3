package dev.redline.pdp.server.harness;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A case's own policy data must change a parameter the built-in policy has: a policy built before
 * the parameter existed ignores it and decides the case as if it were unset, which once made
 * end-to-end tests of provider_principals see forged callers allowed.
 */
class ContractCaseTest {
    @Test
    void aCaseSettingAParameterTheBuiltInBundleDoesNotKnowIsRefusedWithTheCause() {
        ObjectNode data = new ObjectMapper().createObjectNode().put("no_such_parameter", true);
        ContractCase unknown = new ContractCase("unknown-parameter", "", ContractCase.struct("{}"), false,
                List.of(), List.of(), data);

        IllegalStateException e = assertThrows(IllegalStateException.class, unknown::bundle);

        assertTrue(e.getMessage().contains("data.contract.no_such_parameter"), e.getMessage());
        assertTrue(e.getMessage().contains("-am"), e.getMessage());
    }

    @Test
    void everyCaseWithDataSetsParametersTheBuiltInBundleHas() throws Exception {
        for (ContractCase c : ContractCase.withData()) {
            c.bundle();
        }
    }
}
