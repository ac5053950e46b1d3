package dev.redline.pdp.sdk;

import com.google.protobuf.Struct;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The input document of the contract policy ({@value DecisionInput#CONTRACT_PATH}), built in the
 * contract's own vocabulary and written under the contract's exact JSON field names.
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
 *
 * writes
 *
 * <pre>{@code
 * {"subject": {"id": "analyst-17", "org": "customer", "clearance": "secret"},
 *  "action": {"type": "inference"},
 *  "resource": {"deployment": {"id": "govcloud-secret-east", "target": "cloud_api"}},
 *  "context": {"purpose": "targeting",
 *              "use_of_force": {"involved": true, "autonomy": "human_in_the_loop",
 *                               "target_selected_by": "human", "authorizing_human": "col-smith"}}}
 * }</pre>
 *
 * <p><b>Fields not set are left out</b>, and the policy treats them as the contract says: optional
 * ones take their defaults (clearance {@code none}, classification {@code unclassified}, purpose
 * {@code general}, model_refused {@code false}); a required one that is missing denies with
 * {@code INVALID_INPUT}. The builder does not check completeness itself: the policy is the one
 * judge of the input.
 *
 * <p><b>Enumerations.</b> The contract's enumerations are Java enums whose wire form is the
 * lower-case constant name ({@link Org#CUSTOMER} is {@code "customer"}). Every enum setter has a
 * {@code String} twin that writes the value as given, for values a newer contract adds before
 * this SDK knows them; {@link Builder#field} adds any other top-level field.
 *
 * <p>Immutable and thread-safe; equal when the documents are equal.
 */
public final class ContractInput implements DecisionInput {

    /** A value of one of the contract's enumerations; its wire form is the lower-case name. */
    public interface WireValue {
        /** The value as the contract writes it, e.g. {@code "human_in_the_loop"}. */
        default String wire() {
            return ((Enum<?>) this).name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code subject.org}: which party asks. */
    public enum Org implements WireValue { CUSTOMER, PROVIDER }

    /** {@code subject.type}. */
    public enum SubjectType implements WireValue { HUMAN, SERVICE }

    /** {@code subject.clearance}, lowest first. */
    public enum Clearance implements WireValue { NONE, CONFIDENTIAL, SECRET, TOP_SECRET }

    /** {@code action.type}. */
    public enum ActionType implements WireValue { INFERENCE, TOOL_CALL, FINE_TUNE, DEPLOY, SAFETY_CONFIG, OVERRIDE_REFUSAL }

    /** {@code resource.deployment.target}: the provider's cloud API, or an edge system. */
    public enum Target implements WireValue { CLOUD_API, EDGE }

    /** {@code resource.deployment.classification}, lowest first. */
    public enum Classification implements WireValue { UNCLASSIFIED, SECRET, TOP_SECRET }

    /** {@code context.use_of_force.autonomy}, in the sense of DoD Directive 3000.09. */
    public enum Autonomy implements WireValue { HUMAN_IN_THE_LOOP, HUMAN_ON_THE_LOOP, AUTONOMOUS }

    /** {@code context.use_of_force.target_selected_by}: who selects targets. */
    public enum Selector implements WireValue { HUMAN, MACHINE }

    /** {@code context.surveillance.us_persons}: whether U.S. persons are concerned. */
    public enum UsPersons implements WireValue { YES, NO, UNKNOWN }

    /** {@code context.surveillance.location}. */
    public enum Location implements WireValue { DOMESTIC, FOREIGN, UNKNOWN }

    /** {@code context.surveillance.scope}. */
    public enum Scope implements WireValue { TARGETED, BULK }

    /** {@code context.automated_decision.impact}. */
    public enum Impact implements WireValue { LOW, HIGH }

    private final Struct struct;

    private ContractInput(Struct struct) {
        this.struct = struct;
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Always {@value DecisionInput#CONTRACT_PATH}. */
    @Override
    public String path() {
        return CONTRACT_PATH;
    }

    /** The document as the protobuf JSON object the PDP receives. */
    @Override
    public Struct toStruct() {
        return struct;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContractInput other && struct.equals(other.struct);
    }

    @Override
    public int hashCode() {
        return struct.hashCode();
    }

    /** The document as compact JSON. */
    @Override
    public String toString() {
        return Structs.toJson(struct);
    }

    /**
     * Builds a {@link ContractInput}. Every setter replaces what the same setter (or its twin) set
     * before; {@code null} for an optional single field removes it. Not thread-safe; {@link #build}
     * may be called any number of times.
     */
    public static final class Builder {
        private final Map<String, Object> subject = new LinkedHashMap<>();
        private final Map<String, Object> action = new LinkedHashMap<>();
        private final Map<String, Object> resource = new LinkedHashMap<>();
        private final Map<String, Object> deployment = new LinkedHashMap<>();
        private final Map<String, Object> context = new LinkedHashMap<>();
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder() {}

        // ---- subject

        /** {@code subject.id} and {@code subject.org}: who asks, and for which party. */
        public Builder subject(String id, Org org) {
            return subject(id, wire(org, "org"));
        }

        /** {@code subject.id} and {@code subject.org} with the org as written on the wire. */
        public Builder subject(String id, String org) {
            subject.put("id", Objects.requireNonNull(id, "id"));
            subject.put("org", Objects.requireNonNull(org, "org"));
            return this;
        }

        /** {@code subject.type}: a human or a service. */
        public Builder subjectType(SubjectType type) {
            return subjectType(wireOrNull(type));
        }

        /** {@code subject.type} as written on the wire. */
        public Builder subjectType(String type) {
            return set(subject, "type", type);
        }

        /**
         * {@code subject.component}: the customer component asking, e.g. {@code "army"} or
         * {@code "nsa"}. An identifier (ASCII letters, digits, {@code -} and {@code _}), compared
         * case-insensitively by the policy; any other string is {@code INVALID_INPUT}.
         */
        public Builder component(String component) {
            return set(subject, "component", component);
        }

        /** {@code subject.clearance} (the policy's default is {@code none}). */
        public Builder clearance(Clearance clearance) {
            return clearance(wireOrNull(clearance));
        }

        /** {@code subject.clearance} as written on the wire. */
        public Builder clearance(String clearance) {
            return set(subject, "clearance", clearance);
        }

        // ---- action

        /** {@code action.type}: what the model is asked to do. */
        public Builder action(ActionType type) {
            return action(wire(type, "type"));
        }

        /** {@code action.type} as written on the wire. */
        public Builder action(String type) {
            action.put("type", Objects.requireNonNull(type, "type"));
            return this;
        }

        /** {@code action.tool}: the tool a {@link ActionType#TOOL_CALL} calls. */
        public Builder tool(String tool) {
            return set(action, "tool", tool);
        }

        // ---- resource

        /** {@code resource.model}: the model asked. */
        public Builder model(String model) {
            return set(resource, "model", model);
        }

        /**
         * {@code resource.deployment.id} and {@code .target}: where the model runs. The id is
         * looked up in the contract's deployment table (classification, cleared personnel).
         */
        public Builder deployment(String id, Target target) {
            return deployment(id, wire(target, "target"));
        }

        /** {@code resource.deployment.id} and {@code .target} with the target as written on the wire. */
        public Builder deployment(String id, String target) {
            deployment.put("id", Objects.requireNonNull(id, "id"));
            deployment.put("target", Objects.requireNonNull(target, "target"));
            return this;
        }

        /**
         * {@code resource.deployment.platform}, e.g. {@code "datacenter"}, {@code "aircraft"},
         * {@code "drone"}: an identifier, like {@link #component}.
         */
        public Builder platform(String platform) {
            return set(deployment, "platform", platform);
        }

        /**
         * {@code resource.deployment.classification}. The policy uses the higher of this and the
         * deployment table's, so a caller cannot lower it.
         */
        public Builder classification(Classification classification) {
            return classification(wireOrNull(classification));
        }

        /** {@code resource.deployment.classification} as written on the wire. */
        public Builder classification(String classification) {
            return set(deployment, "classification", classification);
        }

        // ---- context

        /**
         * {@code context.purpose}: what the model's output is for, e.g. {@code "logistics"},
         * {@code "targeting"}, {@code "signals_intelligence"}: an identifier, like
         * {@link #component}. Use-of-force, surveillance and high-impact purposes require the
         * matching context block, or the policy denies with {@code INSUFFICIENT_CONTEXT}.
         */
        public Builder purpose(String purpose) {
            return set(context, "purpose", purpose);
        }

        /** {@code context.model_refused}: the model already refused this task. */
        public Builder modelRefused(boolean refused) {
            context.put("model_refused", refused);
            return this;
        }

        /**
         * The {@code context.use_of_force} block.
         *
         * @param involved whether use of force is involved
         * @param autonomy the human's role in the loop
         * @param targetSelectedBy who selects the targets
         * @param authorizingHuman the id of the accountable human, or {@code null} for none
         */
        public Builder useOfForce(boolean involved, Autonomy autonomy, Selector targetSelectedBy, String authorizingHuman) {
            return useOfForce(involved, wire(autonomy, "autonomy"), wire(targetSelectedBy, "targetSelectedBy"),
                    authorizingHuman);
        }

        /** The {@code context.use_of_force} block with the enumerations as written on the wire. */
        public Builder useOfForce(boolean involved, String autonomy, String targetSelectedBy, String authorizingHuman) {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("involved", involved);
            block.put("autonomy", Objects.requireNonNull(autonomy, "autonomy"));
            block.put("target_selected_by", Objects.requireNonNull(targetSelectedBy, "targetSelectedBy"));
            set(block, "authorizing_human", authorizingHuman);
            context.put("use_of_force", block);
            return this;
        }

        /**
         * The {@code context.surveillance} block.
         *
         * @param usPersons whether U.S. persons are concerned
         * @param location where the collection happens
         * @param scope targeted or bulk
         * @param dataSource e.g. {@code "commercially_acquired"}, or {@code null} for none
         * @param legalAuthority e.g. {@code "eo12333"}, or {@code null} for none
         */
        public Builder surveillance(UsPersons usPersons, Location location, Scope scope, String dataSource,
                String legalAuthority) {
            return surveillance(wire(usPersons, "usPersons"), wire(location, "location"), wire(scope, "scope"),
                    dataSource, legalAuthority);
        }

        /** The {@code context.surveillance} block with the enumerations as written on the wire. */
        public Builder surveillance(String usPersons, String location, String scope, String dataSource,
                String legalAuthority) {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("us_persons", Objects.requireNonNull(usPersons, "usPersons"));
            block.put("location", Objects.requireNonNull(location, "location"));
            block.put("scope", Objects.requireNonNull(scope, "scope"));
            set(block, "data_source", dataSource);
            set(block, "legal_authority", legalAuthority);
            context.put("surveillance", block);
            return this;
        }

        /**
         * The {@code context.automated_decision} block.
         *
         * @param affectsIndividuals whether the decision affects individuals
         * @param impact its impact on them
         * @param humanReview whether a human reviews it before it takes effect
         */
        public Builder automatedDecision(boolean affectsIndividuals, Impact impact, boolean humanReview) {
            return automatedDecision(affectsIndividuals, wire(impact, "impact"), humanReview);
        }

        /** The {@code context.automated_decision} block with the impact as written on the wire. */
        public Builder automatedDecision(boolean affectsIndividuals, String impact, boolean humanReview) {
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("affects_individuals", affectsIndividuals);
            block.put("impact", Objects.requireNonNull(impact, "impact"));
            block.put("human_review", humanReview);
            context.put("automated_decision", block);
            return this;
        }

        /**
         * Sets a top-level field the typed setters do not cover, for newer contract versions (the
         * policy ignores fields it does not know). {@code value} is a JSON-like Java value: a map
         * with string keys, a list, a string, a number, a boolean or {@code null}.
         *
         * @throws IllegalArgumentException at {@link #build} if the value has no JSON form
         */
        public Builder field(String name, Object value) {
            extra.put(Objects.requireNonNull(name, "name"), value);
            return this;
        }

        /**
         * The input as set so far.
         *
         * @throws IllegalArgumentException if a {@link #field} value has no JSON form
         */
        public ContractInput build() {
            Map<String, Object> document = new LinkedHashMap<>();
            if (!subject.isEmpty()) document.put("subject", subject);
            if (!action.isEmpty()) document.put("action", action);
            Map<String, Object> res = new LinkedHashMap<>(resource);
            if (!deployment.isEmpty()) res.put("deployment", deployment);
            if (!res.isEmpty()) document.put("resource", res);
            if (!context.isEmpty()) document.put("context", context);
            document.putAll(extra);
            return new ContractInput(Structs.toStruct(document));
        }

        private Builder set(Map<String, Object> block, String field, String value) {
            if (value == null) {
                block.remove(field);
            } else {
                block.put(field, value);
            }
            return this;
        }

        private static String wire(WireValue value, String name) {
            return Objects.requireNonNull(value, name).wire();
        }

        private static String wireOrNull(WireValue value) {
            return value == null ? null : value.wire();
        }
    }
}
