package dev.redline.pdp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.sdk.ContractInput.ActionType;
import dev.redline.pdp.sdk.ContractInput.Autonomy;
import dev.redline.pdp.sdk.ContractInput.Builder;
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
import dev.redline.pdp.sdk.ContractInput.WireValue;
import dev.redline.pdp.server.PdpServer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SDK's vocabulary is the policy's: every constant of every enumeration of
 * {@link ContractInput}, sent to the real PDP in an otherwise valid input, is accepted by the
 * contract policy (no INVALID_INPUT).
 */
class ContractVocabularyTest {
    @TempDir
    static Path dataDir;

    private static PdpServer pdp;
    private static PdpClient client;

    @BeforeAll
    static void start() throws Exception {
        pdp = RealPdp.start(dataDir);
        client = RealPdp.client(pdp);
    }

    @AfterAll
    static void stop() {
        client.close();
        pdp.close();
    }

    /** Where each enumeration goes in the input: its field, and how the builder sets it. */
    private record Field(String path, BiFunction<Builder, WireValue, Builder> set) {}

    private static final Map<Class<?>, Field> FIELDS = Map.ofEntries(
            Map.entry(Org.class, new Field("subject.org", (b, v) -> b.subject("analyst-17", (Org) v))),
            Map.entry(SubjectType.class, new Field("subject.type", (b, v) -> b.subjectType((SubjectType) v))),
            Map.entry(Clearance.class, new Field("subject.clearance", (b, v) -> b.clearance((Clearance) v))),
            Map.entry(ActionType.class, new Field("action.type", (b, v) -> b.action((ActionType) v))),
            Map.entry(Target.class, new Field("resource.deployment.target",
                    (b, v) -> b.deployment("govcloud-east", (Target) v))),
            Map.entry(Classification.class, new Field("resource.deployment.classification",
                    (b, v) -> b.classification((Classification) v))),
            Map.entry(Autonomy.class, new Field("context.use_of_force.autonomy",
                    (b, v) -> b.useOfForce(true, (Autonomy) v, Selector.HUMAN, "col-smith"))),
            Map.entry(Selector.class, new Field("context.use_of_force.target_selected_by",
                    (b, v) -> b.useOfForce(true, Autonomy.HUMAN_IN_THE_LOOP, (Selector) v, "col-smith"))),
            Map.entry(UsPersons.class, new Field("context.surveillance.us_persons",
                    (b, v) -> b.surveillance((UsPersons) v, Location.FOREIGN, Scope.TARGETED, null, null))),
            Map.entry(Location.class, new Field("context.surveillance.location",
                    (b, v) -> b.surveillance(UsPersons.NO, (Location) v, Scope.TARGETED, null, null))),
            Map.entry(Scope.class, new Field("context.surveillance.scope",
                    (b, v) -> b.surveillance(UsPersons.NO, Location.FOREIGN, (Scope) v, null, null))),
            Map.entry(Impact.class, new Field("context.automated_decision.impact",
                    (b, v) -> b.automatedDecision(true, (Impact) v, true))));

    /** Every enumeration ContractInput declares. */
    private static Set<Class<?>> enumerations() {
        return Arrays.stream(ContractInput.class.getDeclaredClasses()).filter(Class::isEnum)
                .collect(Collectors.toSet());
    }

    static Stream<WireValue> constants() {
        return enumerations().stream().flatMap(e -> Arrays.stream(e.getEnumConstants())).map(WireValue.class::cast);
    }

    /** A valid customer request for logistics (spec example 1) to set one constant in. */
    private static Builder validRequest() {
        return ContractInput.builder()
                .subject("analyst-17", Org.CUSTOMER)
                .action(ActionType.INFERENCE)
                .deployment("govcloud-east", Target.CLOUD_API)
                .purpose("logistics");
    }

    @Test
    void everyEnumerationOfContractInputHasItsFieldHere() {
        assertEquals(enumerations(), FIELDS.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("constants")
    void theContractPolicyAcceptsEveryConstantAtItsField(WireValue constant) {
        Field field = FIELDS.get(constant.getClass());
        ContractInput input = field.set().apply(validRequest(), constant).build();

        Decision decision = client.decide(input);

        assertTrue(decision.violations().stream().noneMatch(v -> v.code().equals("INVALID_INPUT")),
                () -> field.path() + " = \"" + constant.wire() + "\" is refused: " + decision.violations());
    }
}
