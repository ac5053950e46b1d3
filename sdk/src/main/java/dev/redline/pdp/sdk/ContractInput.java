package dev.redline.pdp.sdk;

import com.google.protobuf.Struct;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The input document of the contract policy ({@code contract/decision}), built with the
 * contract's own vocabulary. Fields not set are left out, and the policy treats them as the
 * contract says (optional ones take their defaults; required ones missing deny with
 * {@code INVALID_INPUT}).
 *
 * <pre>{@code
 * ContractInput input = ContractInput.builder()
 *         .subject("analyst-17", Org.CUSTOMER).clearance(Clearance.SECRET)
 *         .action(ActionType.INFERENCE)
 *         .deployment("govcloud-secret-east", Target.CLOUD_API)
 *         .purpose("targeting")
 *         .useOfForce(true, Autonomy.HUMAN_IN_THE_LOOP, Selector.HUMAN, "col-smith")
 *         .build();
 * }</pre>
 */
public final class ContractInput {

    /** An enumeration value of the contract; its wire form is the lower-case name. */
    public interface WireValue {
        default String wire() {
            return ((Enum<?>) this).name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Org implements WireValue { CUSTOMER, PROVIDER }

    public enum SubjectType implements WireValue { HUMAN, SERVICE }

    public enum Clearance implements WireValue { NONE, CONFIDENTIAL, SECRET, TOP_SECRET }

    public enum ActionType implements WireValue { INFERENCE, TOOL_CALL, FINE_TUNE, DEPLOY, SAFETY_CONFIG, OVERRIDE_REFUSAL }

    public enum Target implements WireValue { CLOUD_API, EDGE }

    public enum Classification implements WireValue { UNCLASSIFIED, SECRET, TOP_SECRET }

    public enum Autonomy implements WireValue { HUMAN_IN_THE_LOOP, HUMAN_ON_THE_LOOP, AUTONOMOUS }

    /** Who selects targets. */
    public enum Selector implements WireValue { HUMAN, MACHINE }

    public enum UsPersons implements WireValue { YES, NO, UNKNOWN }

    public enum Location implements WireValue { DOMESTIC, FOREIGN, UNKNOWN }

    public enum Scope implements WireValue { TARGETED, BULK }

    public enum Impact implements WireValue { LOW, HIGH }

    private final Struct struct;

    private ContractInput(Struct struct) {
        this.struct = struct;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The input as the protobuf JSON object the PDP receives. */
    public Struct toStruct() {
        return struct;
    }

    @Override
    public String toString() {
        return struct.toString();
    }

    /** Builds a {@link ContractInput}; every setter replaces what was set before. */
    public static final class Builder {
        private final Map<String, Object> subject = new LinkedHashMap<>();
        private final Map<String, Object> action = new LinkedHashMap<>();
        private final Map<String, Object> resource = new LinkedHashMap<>();
        private final Map<String, Object> deployment = new LinkedHashMap<>();
        private final Map<String, Object> context = new LinkedHashMap<>();
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder() {}

        /** Who asks: their id and whether they are the customer or the provider. */
        public Builder subject(String id, Org org) {
            subject.put("id", Objects.requireNonNull(id, "id"));
            subject.put("org", Objects.requireNonNull(org, "org"));
            return this;
        }

        public Builder subjectType(SubjectType type) {
            subject.put("type", type);
            return this;
        }

        /** The customer component asking, e.g. "army" (compared case-insensitively by the policy). */
        public Builder component(String component) {
            subject.put("component", component);
            return this;
        }

        public Builder clearance(Clearance clearance) {
            subject.put("clearance", clearance);
            return this;
        }

        public Builder action(ActionType type) {
            action.put("type", Objects.requireNonNull(type, "type"));
            return this;
        }

        /** The tool a {@link ActionType#TOOL_CALL} calls. */
        public Builder tool(String tool) {
            action.put("tool", tool);
            return this;
        }

        public Builder model(String model) {
            resource.put("model", model);
            return this;
        }

        /** Where the model runs: the deployment id (looked up in the contract data) and its target. */
        public Builder deployment(String id, Target target) {
            deployment.put("id", Objects.requireNonNull(id, "id"));
            deployment.put("target", Objects.requireNonNull(target, "target"));
            return this;
        }

        /** The hardware platform, e.g. "datacenter", "aircraft", "drone". */
        public Builder platform(String platform) {
            deployment.put("platform", platform);
            return this;
        }

        public Builder classification(Classification classification) {
            deployment.put("classification", classification);
            return this;
        }

        /** What the model's output is for, e.g. "logistics", "targeting", "signals_intelligence". */
        public Builder purpose(String purpose) {
            context.put("purpose", purpose);
            return this;
        }

        /** The model already refused this task. */
        public Builder modelRefused(boolean refused) {
            context.put("model_refused", refused);
            return this;
        }

        /** The use_of_force block; {@code authorizingHuman} may be null when there is none. */
        public Builder useOfForce(boolean involved, Autonomy autonomy, Selector targetSelectedBy, String authorizingHuman) {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("involved", involved);
            block.put("autonomy", Objects.requireNonNull(autonomy, "autonomy"));
            block.put("target_selected_by", Objects.requireNonNull(targetSelectedBy, "targetSelectedBy"));
            if (authorizingHuman != null) {
                block.put("authorizing_human", authorizingHuman);
            }
            context.put("use_of_force", block);
            return this;
        }

        /** The surveillance block; {@code dataSource} and {@code legalAuthority} may be null. */
        public Builder surveillance(UsPersons usPersons, Location location, Scope scope, String dataSource,
                String legalAuthority) {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("us_persons", Objects.requireNonNull(usPersons, "usPersons"));
            block.put("location", Objects.requireNonNull(location, "location"));
            block.put("scope", Objects.requireNonNull(scope, "scope"));
            if (dataSource != null) {
                block.put("data_source", dataSource);
            }
            if (legalAuthority != null) {
                block.put("legal_authority", legalAuthority);
            }
            context.put("surveillance", block);
            return this;
        }

        /** The automated_decision block. */
        public Builder automatedDecision(boolean affectsIndividuals, Impact impact, boolean humanReview) {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("affects_individuals", affectsIndividuals);
            block.put("impact", Objects.requireNonNull(impact, "impact"));
            block.put("human_review", humanReview);
            context.put("automated_decision", block);
            return this;
        }

        /**
         * Sets any top-level field the typed setters do not cover (the policy ignores unknown
         * fields), for forward compatibility with newer contract versions.
         */
        public Builder field(String name, Object value) {
            extra.put(name, value);
            return this;
        }

        public ContractInput build() {
            Map<String, Object> document = new LinkedHashMap<>();
            if (!subject.isEmpty()) document.put("subject", subject);
            if (!action.isEmpty()) document.put("action", action);
            if (!deployment.isEmpty()) resource.put("deployment", deployment);
            if (!resource.isEmpty()) document.put("resource", resource);
            if (!context.isEmpty()) document.put("context", context);
            document.putAll(extra);
            return new ContractInput(Structs.toStruct(document));
        }
    }
}
