package dev.redline.pdp.sdk;

import dev.redline.pdp.sdk.ContractInput.ActionType;
import dev.redline.pdp.sdk.ContractInput.Autonomy;
import dev.redline.pdp.sdk.ContractInput.Clearance;
import dev.redline.pdp.sdk.ContractInput.Location;
import dev.redline.pdp.sdk.ContractInput.Org;
import dev.redline.pdp.sdk.ContractInput.Scope;
import dev.redline.pdp.sdk.ContractInput.Selector;
import dev.redline.pdp.sdk.ContractInput.Target;
import dev.redline.pdp.sdk.ContractInput.UsPersons;

/** The three examples of the contract spec (shared/spec/contract-terms.md, "Examples"), as ContractInputs. */
final class SpecExamples {
    private SpecExamples() {}

    /** Allowed, no obligations: a customer analyst, clearance none, inference on govcloud-east for logistics. */
    static ContractInput logistics() {
        return ContractInput.builder()
                .subject("analyst-17", Org.CUSTOMER).clearance(Clearance.NONE)
                .action(ActionType.INFERENCE)
                .deployment("govcloud-east", Target.CLOUD_API)
                .purpose("logistics")
                .build();
    }

    /**
     * Denied with AUTONOMOUS_WEAPONS and MACHINE_TARGET_SELECTION: autonomous, machine-selected
     * targeting on a cleared cloud deployment, by a subject cleared for it.
     */
    static ContractInput autonomousTargeting() {
        return ContractInput.builder()
                .subject("analyst-17", Org.CUSTOMER).clearance(Clearance.SECRET)
                .action(ActionType.INFERENCE)
                .deployment("govcloud-secret-east", Target.CLOUD_API)
                .purpose("targeting")
                .useOfForce(true, Autonomy.AUTONOMOUS, Selector.MACHINE, "col-smith")
                .build();
    }

    /** Allowed with US_PERSON_MINIMIZATION: targeted foreign signals intelligence under EO 12333. */
    static ContractInput foreignSigint() {
        return ContractInput.builder()
                .subject("analyst-17", Org.CUSTOMER).clearance(Clearance.NONE)
                .action(ActionType.INFERENCE)
                .deployment("govcloud-east", Target.CLOUD_API)
                .purpose("signals_intelligence")
                .surveillance(UsPersons.NO, Location.FOREIGN, Scope.TARGETED, null, "eo12333")
                .build();
    }
}
