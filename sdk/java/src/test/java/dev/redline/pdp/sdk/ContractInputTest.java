package dev.redline.pdp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Struct;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ContractInput writes exactly the field names and values of the contract's input document
 * (shared/spec/contract-terms.md, "Input document"). Each expected document is JSON, parsed with
 * protobuf's JsonFormat and compared as a Struct: field order does not matter, every name does.
 */
class ContractInputTest {

    private static Struct json(String json) throws Exception {
        Struct.Builder struct = Struct.newBuilder();
        JsonFormat.parser().merge(json, struct);
        return struct.build();
    }

    @Test
    void theSpecsLogisticsExample() throws Exception {
        assertEquals(json("""
                {"subject":  {"id": "analyst-17", "org": "customer", "clearance": "none"},
                 "action":   {"type": "inference"},
                 "resource": {"deployment": {"id": "govcloud-east", "target": "cloud_api"}},
                 "context":  {"purpose": "logistics"}}
                """), SpecExamples.logistics().toStruct());
    }

    @Test
    void theSpecsAutonomousTargetingExample() throws Exception {
        assertEquals(json("""
                {"subject":  {"id": "analyst-17", "org": "customer", "clearance": "secret"},
                 "action":   {"type": "inference"},
                 "resource": {"deployment": {"id": "govcloud-secret-east", "target": "cloud_api"}},
                 "context":  {"purpose": "targeting",
                              "use_of_force": {"involved": true, "autonomy": "autonomous",
                                               "target_selected_by": "machine", "authorizing_human": "col-smith"}}}
                """), SpecExamples.autonomousTargeting().toStruct());
    }

    @Test
    void theSpecsForeignSigintExample() throws Exception {
        assertEquals(json("""
                {"subject":  {"id": "analyst-17", "org": "customer", "clearance": "none"},
                 "action":   {"type": "inference"},
                 "resource": {"deployment": {"id": "govcloud-east", "target": "cloud_api"}},
                 "context":  {"purpose": "signals_intelligence",
                              "surveillance": {"us_persons": "no", "location": "foreign", "scope": "targeted",
                                               "legal_authority": "eo12333"}}}
                """), SpecExamples.foreignSigint().toStruct());
    }

    @Test
    void everyFieldOfTheInputDocumentIsWrittenUnderTheSpecsName() throws Exception {
        ContractInput input = ContractInput.builder()
                .subject("analyst-17", Org.CUSTOMER).subjectType(SubjectType.HUMAN).component("army")
                .clearance(Clearance.TOP_SECRET)
                .action(ActionType.TOOL_CALL).tool("geo_lookup")
                .model("frontier-2")
                .deployment("govcloud-ts-1", Target.CLOUD_API).platform("datacenter")
                .classification(Classification.TOP_SECRET)
                .purpose("targeting").modelRefused(false)
                .useOfForce(true, Autonomy.HUMAN_IN_THE_LOOP, Selector.HUMAN, "col-smith")
                .surveillance(UsPersons.NO, Location.FOREIGN, Scope.TARGETED, "commercially_acquired", "eo12333")
                .automatedDecision(true, Impact.HIGH, true)
                .build();

        assertEquals(json("""
                {"subject": {"id": "analyst-17", "org": "customer", "type": "human", "component": "army",
                             "clearance": "top_secret"},
                 "action": {"type": "tool_call", "tool": "geo_lookup"},
                 "resource": {"model": "frontier-2",
                              "deployment": {"id": "govcloud-ts-1", "target": "cloud_api", "platform": "datacenter",
                                             "classification": "top_secret"}},
                 "context": {"purpose": "targeting",
                             "model_refused": false,
                             "use_of_force": {"involved": true, "autonomy": "human_in_the_loop",
                                              "target_selected_by": "human", "authorizing_human": "col-smith"},
                             "surveillance": {"us_persons": "no", "location": "foreign", "scope": "targeted",
                                              "data_source": "commercially_acquired", "legal_authority": "eo12333"},
                             "automated_decision": {"affects_individuals": true, "impact": "high",
                                                    "human_review": true}}}
                """), input.toStruct());
    }

    @Test
    void everyEnumConstantIsWrittenAsItsLowerCaseName() {
        assertEquals(List.of("customer", "provider"), wires(Org.values()));
        assertEquals(List.of("human", "service"), wires(SubjectType.values()));
        assertEquals(List.of("none", "confidential", "secret", "top_secret"), wires(Clearance.values()));
        assertEquals(List.of("inference", "tool_call", "fine_tune", "deploy", "safety_config", "override_refusal"),
                wires(ActionType.values()));
        assertEquals(List.of("cloud_api", "edge"), wires(Target.values()));
        assertEquals(List.of("unclassified", "secret", "top_secret"), wires(Classification.values()));
        assertEquals(List.of("human_in_the_loop", "human_on_the_loop", "autonomous"), wires(Autonomy.values()));
        assertEquals(List.of("human", "machine"), wires(Selector.values()));
        assertEquals(List.of("yes", "no", "unknown"), wires(UsPersons.values()));
        assertEquals(List.of("domestic", "foreign", "unknown"), wires(Location.values()));
        assertEquals(List.of("targeted", "bulk"), wires(Scope.values()));
        assertEquals(List.of("low", "high"), wires(Impact.values()));
    }

    private static List<String> wires(ContractInput.WireValue... values) {
        return java.util.Arrays.stream(values).map(ContractInput.WireValue::wire).toList();
    }

    @Test
    void fieldsThatWereNotSetAreLeftOut() throws Exception {
        ContractInput input = ContractInput.builder().subject("ops-1", Org.PROVIDER)
                .action(ActionType.OVERRIDE_REFUSAL).build();

        assertEquals(json("""
                {"subject": {"id": "ops-1", "org": "provider"}, "action": {"type": "override_refusal"}}
                """), input.toStruct());
    }

    @Test
    void anEmptyBuilderWritesAnEmptyDocument() throws Exception {
        assertEquals(json("{}"), ContractInput.builder().build().toStruct());
    }

    @Test
    void aUseOfForceBlockWithoutAnAccountableHumanLeavesTheFieldOut() throws Exception {
        ContractInput input = ContractInput.builder()
                .useOfForce(true, Autonomy.HUMAN_IN_THE_LOOP, Selector.HUMAN, null).build();

        assertEquals(json("""
                {"context": {"use_of_force": {"involved": true, "autonomy": "human_in_the_loop",
                                              "target_selected_by": "human"}}}
                """), input.toStruct());
    }

    @Test
    void settingAnOptionalFieldToNullRemovesIt() throws Exception {
        ContractInput input = ContractInput.builder().deployment("edge-7", Target.EDGE)
                .platform("drone").platform(null).build();

        assertEquals(json("""
                {"resource": {"deployment": {"id": "edge-7", "target": "edge"}}}
                """), input.toStruct());
    }

    @Test
    void stringSettersWriteValuesAsGivenForNewerContracts() throws Exception {
        ContractInput input = ContractInput.builder()
                .subject("svc-9", "partner").subjectType("agent").clearance("cosmic")
                .action("summarize")
                .deployment("lab-1", "on_prem").classification("restricted")
                .useOfForce(false, "human_on_the_loop", "human", "maj-lee")
                .surveillance("no", "foreign", "targeted", null, null)
                .automatedDecision(false, "medium", false)
                .build();

        assertEquals(json("""
                {"subject": {"id": "svc-9", "org": "partner", "type": "agent", "clearance": "cosmic"},
                 "action": {"type": "summarize"},
                 "resource": {"deployment": {"id": "lab-1", "target": "on_prem", "classification": "restricted"}},
                 "context": {"use_of_force": {"involved": false, "autonomy": "human_on_the_loop",
                                              "target_selected_by": "human", "authorizing_human": "maj-lee"},
                             "surveillance": {"us_persons": "no", "location": "foreign", "scope": "targeted"},
                             "automated_decision": {"affects_individuals": false, "impact": "medium",
                                                    "human_review": false}}}
                """), input.toStruct());
    }

    @Test
    void extraTopLevelFieldsPassThrough() throws Exception {
        ContractInput input = ContractInput.builder()
                .field("tenant", Map.of("id", "blue", "tier", 2, "tags", List.of("a", "b"))).build();

        assertEquals(json("""
                {"tenant": {"id": "blue", "tier": 2, "tags": ["a", "b"]}}
                """), input.toStruct());
    }

    @Test
    void aFieldValueWithNoJsonFormIsRefusedNamingWhereItIs() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContractInput.builder().field("tenant", Map.of("since", new Object())).build());

        assertEquals("tenant.since holds a java.lang.Object, which is not a JSON value "
                + "(use maps, lists, strings, numbers, booleans or null)", e.getMessage());
    }

    @Test
    void aNumberJsonCannotRepresentIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DecisionInput.of("rbac/allow", Map.of("score", Double.NaN)));

        assertEquals("score is NaN, which JSON cannot represent", e.getMessage());
    }

    @Test
    void aContractInputIsForTheContractEntrypoint() {
        assertEquals("contract/decision", SpecExamples.logistics().path());
    }

    @Test
    void inputsWithTheSameDocumentAreEqual() {
        assertEquals(SpecExamples.logistics(), SpecExamples.logistics());
        assertEquals(SpecExamples.logistics().hashCode(), SpecExamples.logistics().hashCode());
        assertNotEquals(SpecExamples.logistics(), SpecExamples.foreignSigint());
    }

    @Test
    void toStringIsTheDocumentAsCompactJson() {
        assertEquals("{\"subject\":{\"id\":\"analyst-17\",\"org\":\"customer\",\"clearance\":\"none\"},"
                + "\"action\":{\"type\":\"inference\"},"
                + "\"resource\":{\"deployment\":{\"id\":\"govcloud-east\",\"target\":\"cloud_api\"}},"
                + "\"context\":{\"purpose\":\"logistics\"}}", SpecExamples.logistics().toString());
    }

    @Test
    void aBuiltInputDoesNotChangeWhenTheBuilderDoes() throws Exception {
        ContractInput.Builder builder = ContractInput.builder().subject("a", Org.CUSTOMER);
        ContractInput first = builder.build();

        builder.clearance(Clearance.SECRET).model("m");

        assertEquals(json("""
                {"subject": {"id": "a", "org": "customer"}}
                """), first.toStruct());
    }
}
