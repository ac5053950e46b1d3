package dev.redline.pdp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.util.JsonFormat;
import dev.redline.pdp.sdk.ContractInput.ActionType;
import dev.redline.pdp.sdk.ContractInput.Autonomy;
import dev.redline.pdp.sdk.ContractInput.Classification;
import dev.redline.pdp.sdk.ContractInput.Clearance;
import dev.redline.pdp.sdk.ContractInput.Impact;
import dev.redline.pdp.sdk.ContractInput.Location;
import dev.redline.pdp.sdk.ContractInput.Org;
import dev.redline.pdp.sdk.ContractInput.Scope;
import dev.redline.pdp.sdk.ContractInput.Selector;
import dev.redline.pdp.sdk.ContractInput.SubjectType;
import dev.redline.pdp.sdk.ContractInput.Target;
import dev.redline.pdp.sdk.ContractInput.UsPersons;
import org.junit.jupiter.api.Test;

/** ContractInput writes exactly the field names and values of the contract's input document. */
class ContractInputTest {

    private static String json(ContractInput input) throws Exception {
        return JsonFormat.printer().omittingInsignificantWhitespace().print(input.toStruct());
    }

    @Test
    void writesEveryFieldUnderTheSpecsNames() throws Exception {
        ContractInput input = ContractInput.builder()
                .subject("analyst-17", Org.CUSTOMER).subjectType(SubjectType.HUMAN).component("army")
                .clearance(Clearance.TOP_SECRET)
                .action(ActionType.TOOL_CALL).tool("geo_lookup")
                .model("frontier-2").deployment("govcloud-ts-1", Target.CLOUD_API).platform("datacenter")
                .classification(Classification.TOP_SECRET)
                .purpose("targeting").modelRefused(false)
                .useOfForce(true, Autonomy.HUMAN_IN_THE_LOOP, Selector.HUMAN, "col-smith")
                .surveillance(UsPersons.NO, Location.FOREIGN, Scope.TARGETED, "open_source", "eo12333")
                .automatedDecision(true, Impact.HIGH, true)
                .build();

        assertEquals("{\"subject\":{\"id\":\"analyst-17\",\"org\":\"customer\",\"type\":\"human\",\"component\":\"army\","
                + "\"clearance\":\"top_secret\"},\"action\":{\"type\":\"tool_call\",\"tool\":\"geo_lookup\"},"
                + "\"resource\":{\"model\":\"frontier-2\",\"deployment\":{\"id\":\"govcloud-ts-1\",\"target\":\"cloud_api\","
                + "\"platform\":\"datacenter\",\"classification\":\"top_secret\"}},\"context\":{\"purpose\":\"targeting\","
                + "\"model_refused\":false,\"use_of_force\":{\"involved\":true,\"autonomy\":\"human_in_the_loop\","
                + "\"target_selected_by\":\"human\",\"authorizing_human\":\"col-smith\"},\"surveillance\":{\"us_persons\":\"no\","
                + "\"location\":\"foreign\",\"scope\":\"targeted\",\"data_source\":\"open_source\",\"legal_authority\":\"eo12333\"},"
                + "\"automated_decision\":{\"affects_individuals\":true,\"impact\":\"high\",\"human_review\":true}}}",
                json(input));
    }

    @Test
    void leavesOutWhatWasNotSet() throws Exception {
        ContractInput input = ContractInput.builder().subject("a", Org.PROVIDER).action(ActionType.OVERRIDE_REFUSAL).build();

        assertEquals("{\"subject\":{\"id\":\"a\",\"org\":\"provider\"},\"action\":{\"type\":\"override_refusal\"}}", json(input));
    }

    @Test
    void useOfForceWithoutAnAccountableHumanOmitsTheField() throws Exception {
        ContractInput input = ContractInput.builder().useOfForce(true, Autonomy.AUTONOMOUS, Selector.MACHINE, null).build();

        assertEquals("{\"context\":{\"use_of_force\":{\"involved\":true,\"autonomy\":\"autonomous\","
                + "\"target_selected_by\":\"machine\"}}}", json(input));
    }

    @Test
    void extraFieldsPassThroughForNewerContracts() throws Exception {
        ContractInput input = ContractInput.builder().field("tenant", "blue").build();

        assertEquals("{\"tenant\":\"blue\"}", json(input));
    }

    @Test
    void refusesValuesThatAreNotJson() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContractInput.builder().field("when", new Object()).build());

        assertEquals(true, e.getMessage().startsWith("when holds a java.lang.Object"));
    }
}
