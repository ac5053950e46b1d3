# Clause "input": INVALID_INPUT for every missing required field, wrong type
# and unknown enumeration value; INSUFFICIENT_CONTEXT for every context block a
# purpose needs that is absent.
package contract_test

import data.contract

# The input document itself.

test_input_not_set_at_all_is_invalid if {
	contract.decision == {
		"allow": false,
		"violations": [{"code": "INVALID_INPUT", "clause": "input", "message": "input is required and must be an object"}],
		"obligations": [],
	}
}

test_input_that_is_a_string_is_invalid if {
	invalid_input("allow me", ["input is required and must be an object"])
}

test_input_that_is_an_array_is_invalid if {
	invalid_input([base_input], ["input is required and must be an object"])
}

test_input_that_is_null_is_invalid if {
	invalid_input(null, ["input is required and must be an object"])
}

test_empty_input_object_lists_each_missing_top_level_object if {
	invalid_input({}, [
		"action is required and must be an object",
		"resource is required and must be an object",
		"subject is required and must be an object",
	])
}

test_unknown_extra_fields_are_ignored_at_every_level if {
	allowed_with(
		merged({
			"trace_id": "abc",
			"subject": {"nickname": "seven"},
			"action": {"reason": "daily run"},
			"resource": {"region": "us-gov-east", "deployment": {"zone": "a"}},
			"context": {"ticket": 42},
		}),
		[],
	)
}

test_optional_fields_may_all_be_absent if {
	allowed_with(
		{
			"subject": {"id": "svc-1", "org": "customer"},
			"action": {"type": "tool_call"},
			"resource": {"deployment": {"id": "govcloud-east", "target": "cloud_api"}},
		},
		[],
	)
}

# Missing required fields, one violation each, naming the field.

test_missing_subject_is_invalid if {
	invalid_input(without(base_input, "subject"), ["subject is required and must be an object"])
}

test_missing_subject_id_is_invalid if {
	invalid_input(without(base_input, "subject/id"), ["subject.id is required and must be a string"])
}

test_missing_subject_org_is_invalid if {
	invalid_input(without(base_input, "subject/org"), ["subject.org is required and must be one of \"customer\", \"provider\""])
}

test_missing_action_is_invalid if {
	invalid_input(without(base_input, "action"), ["action is required and must be an object"])
}

test_missing_action_type_is_invalid if {
	invalid_input(without(base_input, "action/type"), [
		"action.type is required and must be one of \"inference\", \"tool_call\", \"fine_tune\", \"deploy\", \"safety_config\", \"override_refusal\"",
	])
}

test_missing_resource_is_invalid if {
	invalid_input(without(base_input, "resource"), ["resource is required and must be an object"])
}

test_missing_resource_deployment_is_invalid if {
	invalid_input(without(base_input, "resource/deployment"), ["resource.deployment is required and must be an object"])
}

test_missing_deployment_id_is_invalid if {
	invalid_input(without(base_input, "resource/deployment/id"), ["resource.deployment.id is required and must be a string"])
}

test_missing_deployment_target_is_invalid if {
	invalid_input(without(base_input, "resource/deployment/target"), [
		"resource.deployment.target is required and must be one of \"cloud_api\", \"edge\"",
	])
}

# Wrong types.

test_subject_that_is_not_an_object_is_invalid if {
	invalid_input(merged({"subject": "analyst-7"}), ["subject must be an object"])
}

test_subject_id_that_is_not_a_string_is_invalid if {
	invalid_input(merged({"subject": {"id": 7}}), ["subject.id must be a string"])
}

test_empty_subject_id_is_invalid if {
	invalid_input(merged({"subject": {"id": ""}}), ["subject.id must not be empty or blank"])
}

test_blank_deployment_id_is_invalid if {
	invalid_input(merged({"resource": {"deployment": {"id": "  "}}}), ["resource.deployment.id must not be empty or blank"])
}

test_deployment_id_that_is_not_a_string_is_invalid if {
	invalid_input(merged({"resource": {"deployment": {"id": ["govcloud-east"]}}}), ["resource.deployment.id must be a string"])
}

test_subject_org_that_is_not_a_string_is_invalid if {
	invalid_input(merged({"subject": {"org": true}}), ["subject.org must be one of \"customer\", \"provider\""])
}

test_subject_component_that_is_not_a_string_is_invalid if {
	invalid_input(merged({"subject": {"component": {"name": "army"}}}), ["subject.component must be a string"])
}

test_action_that_is_not_an_object_is_invalid if {
	invalid_input(merged({"action": ["inference"]}), ["action must be an object"])
}

test_action_tool_that_is_not_a_string_is_invalid if {
	invalid_input(merged({"action": {"type": "tool_call", "tool": 3}}), ["action.tool must be a string"])
}

test_resource_model_that_is_not_a_string_is_invalid if {
	invalid_input(merged({"resource": {"model": 1}}), ["resource.model must be a string"])
}

test_deployment_that_is_not_an_object_is_invalid if {
	invalid_input(merged({"resource": {"deployment": "govcloud-east"}}), ["resource.deployment must be an object"])
}

test_deployment_platform_that_is_not_a_string_is_invalid if {
	invalid_input(merged({"resource": {"deployment": {"platform": false}}}), ["resource.deployment.platform must be a string"])
}

test_context_that_is_not_an_object_is_invalid if {
	invalid_input(merged({"context": "logistics"}), ["context must be an object"])
}

test_context_purpose_that_is_not_a_string_is_invalid if {
	invalid_input(merged({"context": {"purpose": ["targeting"]}}), ["context.purpose must be a string"])
}

test_model_refused_that_is_not_a_boolean_is_invalid if {
	invalid_input(merged({"context": {"model_refused": "false"}}), ["context.model_refused must be a boolean"])
}

test_null_value_has_the_wrong_type if {
	invalid_input(merged({"subject": {"type": null}}), ["subject.type must be one of \"human\", \"service\""])
}

test_several_invalid_fields_each_get_a_violation if {
	invalid_input(merged({"subject": {"id": 1, "org": 2}, "action": {"type": 3}}), [
		"action.type must be one of \"inference\", \"tool_call\", \"fine_tune\", \"deploy\", \"safety_config\", \"override_refusal\"",
		"subject.id must be a string",
		"subject.org must be one of \"customer\", \"provider\"",
	])
}

# Unknown enumeration values (enumerations are compared exactly, lower case).

test_unknown_subject_org_is_invalid if {
	invalid_input(merged({"subject": {"org": "contractor"}}), ["subject.org must be one of \"customer\", \"provider\""])
}

test_subject_org_in_upper_case_is_an_unknown_value if {
	# "Provider" is not "provider": it neither validates nor grants provider rights.
	denied_with(merged({"subject": {"org": "Provider"}, "action": {"type": "deploy"}}), [
		"INVALID_INPUT",
		"SAFETY_STACK_PROVIDER_CONTROLLED",
	])
}

test_unknown_subject_type_is_invalid if {
	invalid_input(merged({"subject": {"type": "robot"}}), ["subject.type must be one of \"human\", \"service\""])
}

test_unknown_subject_clearance_is_invalid if {
	invalid_input(merged({"subject": {"clearance": "q_clearance"}}), [
		"subject.clearance must be one of \"none\", \"confidential\", \"secret\", \"top_secret\"",
	])
}

test_unknown_action_type_is_invalid if {
	invalid_input(merged({"action": {"type": "train"}}), [
		"action.type must be one of \"inference\", \"tool_call\", \"fine_tune\", \"deploy\", \"safety_config\", \"override_refusal\"",
	])
}

test_unknown_deployment_target_is_invalid if {
	invalid_input(merged({"resource": {"deployment": {"target": "on_prem"}}}), [
		"resource.deployment.target must be one of \"cloud_api\", \"edge\"",
	])
}

test_deployment_target_in_upper_case_is_an_unknown_value if {
	invalid_input(merged({"resource": {"deployment": {"target": "CLOUD_API"}}}), [
		"resource.deployment.target must be one of \"cloud_api\", \"edge\"",
	])
}

test_unknown_deployment_classification_is_invalid_and_ranks_as_top_secret if {
	denied_exactly(merged({"subject": {"clearance": "top_secret"}, "resource": {"deployment": {"classification": "confidential"}}}), [
		{
			"code": "CLEARED_PERSONNEL_REQUIRED",
			"clause": "oversight/cleared-personnel",
			"message": "deployment \"govcloud-east\" is classified \"top_secret\" and has no cleared provider personnel assigned",
		},
		{
			"code": "INVALID_INPUT",
			"clause": "input",
			"message": "resource.deployment.classification must be one of \"unclassified\", \"secret\", \"top_secret\"",
		},
	])
}

test_unknown_autonomy_is_invalid_and_not_a_human_in_the_loop if {
	denied_exactly(force_with({"autonomy": "semi"}), [
		{
			"code": "AUTONOMOUS_WEAPONS",
			"clause": "red-line/autonomous-weapons",
			"message": "use of force is involved and autonomy is \"semi\"; a human must be in the loop",
		},
		{
			"code": "INVALID_INPUT",
			"clause": "input",
			"message": "context.use_of_force.autonomy must be one of \"human_in_the_loop\", \"human_on_the_loop\", \"autonomous\"",
		},
	])
}

test_unknown_target_selected_by_is_invalid_and_not_a_human if {
	denied_with(force_with({"target_selected_by": "operator"}), ["INVALID_INPUT", "MACHINE_TARGET_SELECTION"])
}

test_unknown_us_persons_is_invalid if {
	invalid_input(surveillance_with({"us_persons": "maybe"}), [
		"context.surveillance.us_persons must be one of \"yes\", \"no\", \"unknown\"",
	])
}

test_unknown_location_is_invalid if {
	invalid_input(surveillance_with({"location": "overseas"}), [
		"context.surveillance.location must be one of \"domestic\", \"foreign\", \"unknown\"",
	])
}

test_unknown_scope_is_invalid if {
	invalid_input(surveillance_with({"scope": "wide"}), ["context.surveillance.scope must be one of \"targeted\", \"bulk\""])
}

test_unknown_impact_is_invalid if {
	invalid_input(automated_decision_with({"impact": "medium"}), [
		"context.automated_decision.impact must be one of \"low\", \"high\"",
	])
}

# Context blocks that are present must be objects with their required fields.

test_use_of_force_block_that_is_not_an_object_is_invalid_not_insufficient if {
	invalid_input(with_context({"purpose": "targeting", "use_of_force": true}), ["context.use_of_force must be an object"])
}

test_surveillance_block_that_is_null_is_invalid_not_insufficient if {
	invalid_input(with_context({"purpose": "monitoring", "surveillance": null}), ["context.surveillance must be an object"])
}

test_automated_decision_block_that_is_an_array_is_invalid_not_insufficient if {
	invalid_input(with_context({"purpose": "detention", "automated_decision": []}), [
		"context.automated_decision must be an object",
	])
}

test_use_of_force_without_involved_is_invalid if {
	invalid_input(without(force_context_input, "context/use_of_force/involved"), [
		"context.use_of_force.involved is required and must be a boolean",
	])
}

test_use_of_force_involved_that_is_not_a_boolean_is_invalid if {
	invalid_input(force_with({"involved": "yes"}), ["context.use_of_force.involved must be a boolean"])
}

test_use_of_force_without_autonomy_is_invalid_and_not_a_human_in_the_loop if {
	denied_exactly(without(force_context_input, "context/use_of_force/autonomy"), [
		{
			"code": "AUTONOMOUS_WEAPONS",
			"clause": "red-line/autonomous-weapons",
			"message": "use of force is involved and autonomy is missing; a human must be in the loop",
		},
		{
			"code": "INVALID_INPUT",
			"clause": "input",
			"message": "context.use_of_force.autonomy is required and must be one of \"human_in_the_loop\", \"human_on_the_loop\", \"autonomous\"",
		},
	])
}

test_use_of_force_without_target_selected_by_is_invalid_and_not_a_human if {
	denied_with(without(force_context_input, "context/use_of_force/target_selected_by"), [
		"INVALID_INPUT",
		"MACHINE_TARGET_SELECTION",
	])
}

test_authorizing_human_that_is_not_a_string_is_invalid_and_names_no_human if {
	denied_with(force_with({"authorizing_human": 42}), ["HUMAN_RESPONSIBILITY_REQUIRED", "INVALID_INPUT"])
}

test_empty_use_of_force_block_lists_every_missing_field_and_red_line if {
	denied_with(with_context({"purpose": "targeting", "use_of_force": {}}), [
		"AUTONOMOUS_WEAPONS",
		"HUMAN_RESPONSIBILITY_REQUIRED",
		"INVALID_INPUT",
		"INVALID_INPUT",
		"INVALID_INPUT",
		"MACHINE_TARGET_SELECTION",
	])
}

test_surveillance_without_us_persons_is_invalid if {
	invalid_input(without(surveillance_context_input, "context/surveillance/us_persons"), [
		"context.surveillance.us_persons is required and must be one of \"yes\", \"no\", \"unknown\"",
	])
}

test_surveillance_without_location_is_invalid if {
	invalid_input(without(surveillance_context_input, "context/surveillance/location"), [
		"context.surveillance.location is required and must be one of \"domestic\", \"foreign\", \"unknown\"",
	])
}

test_surveillance_without_scope_is_invalid if {
	invalid_input(without(surveillance_context_input, "context/surveillance/scope"), [
		"context.surveillance.scope is required and must be one of \"targeted\", \"bulk\"",
	])
}

test_surveillance_data_source_that_is_not_a_string_is_invalid if {
	invalid_input(surveillance_with({"data_source": 1}), ["context.surveillance.data_source must be a string"])
}

test_surveillance_legal_authority_that_is_not_a_string_is_invalid if {
	invalid_input(surveillance_with({"legal_authority": {"eo": 12333}}), ["context.surveillance.legal_authority must be a string"])
}

test_automated_decision_without_affects_individuals_is_invalid if {
	invalid_input(without(automated_decision_context_input, "context/automated_decision/affects_individuals"), [
		"context.automated_decision.affects_individuals is required and must be a boolean",
	])
}

test_automated_decision_without_impact_is_invalid if {
	invalid_input(without(automated_decision_context_input, "context/automated_decision/impact"), [
		"context.automated_decision.impact is required and must be one of \"low\", \"high\"",
	])
}

test_automated_decision_without_human_review_is_invalid_and_not_reviewed if {
	denied_with(without(automated_decision_context_input, "context/automated_decision/human_review"), [
		"HIGH_STAKES_AUTOMATED_DECISION",
		"INVALID_INPUT",
	])
}

test_automated_decision_human_review_that_is_not_a_boolean_is_invalid_and_not_reviewed if {
	denied_with(automated_decision_with({"human_review": "true"}), ["HIGH_STAKES_AUTOMATED_DECISION", "INVALID_INPUT"])
}

# INSUFFICIENT_CONTEXT: one violation per required block that is absent, alone
# for that block.

test_use_of_force_purpose_without_its_block_is_insufficient_context if {
	denied_exactly(with_context({"purpose": "targeting"}), [{
		"code": "INSUFFICIENT_CONTEXT",
		"clause": "input",
		"message": "purpose \"targeting\" requires the context.use_of_force block, which is absent",
	}])
}

test_surveillance_purpose_without_its_block_is_insufficient_context if {
	denied_exactly(with_context({"purpose": "pattern_of_life"}), [{
		"code": "INSUFFICIENT_CONTEXT",
		"clause": "input",
		"message": "purpose \"pattern_of_life\" requires the context.surveillance block, which is absent",
	}])
}

test_high_impact_purpose_without_its_block_is_insufficient_context if {
	denied_exactly(with_context({"purpose": "immigration"}), [{
		"code": "INSUFFICIENT_CONTEXT",
		"clause": "input",
		"message": "purpose \"immigration\" requires the context.automated_decision block, which is absent",
	}])
}

test_every_purpose_of_each_group_needs_its_block if {
	every p in contract.use_of_force_purposes {
		denied_with(with_context({"purpose": p}), ["INSUFFICIENT_CONTEXT"])
	}
	every p in contract.surveillance_purposes {
		denied_with(with_context({"purpose": p}), ["INSUFFICIENT_CONTEXT"])
	}
	every p in contract.high_impact_purposes {
		denied_with(with_context({"purpose": p}), ["INSUFFICIENT_CONTEXT"])
	}
}

test_purpose_in_two_groups_without_either_block_is_insufficient_twice if {
	d := decide(with_context({"purpose": "monitoring"})) with contract.high_impact_purposes as ["monitoring"]
	d == {
		"allow": false,
		"violations": [
			{
				"code": "INSUFFICIENT_CONTEXT",
				"clause": "input",
				"message": "purpose \"monitoring\" requires the context.automated_decision block, which is absent",
			},
			{
				"code": "INSUFFICIENT_CONTEXT",
				"clause": "input",
				"message": "purpose \"monitoring\" requires the context.surveillance block, which is absent",
			},
		],
		"obligations": [],
	}
}

test_purpose_in_two_groups_with_one_block_is_insufficient_for_the_other if {
	denied_with(surveillance_with({}), ["INSUFFICIENT_CONTEXT"]) with contract.high_impact_purposes as ["signals_intelligence"]
}

test_purpose_is_matched_case_insensitively_against_the_purpose_lists if {
	denied_exactly(with_context({"purpose": "Targeting"}), [{
		"code": "INSUFFICIENT_CONTEXT",
		"clause": "input",
		"message": "purpose \"targeting\" requires the context.use_of_force block, which is absent",
	}])
}

test_purpose_outside_every_list_needs_no_block if {
	allowed_with(with_context({"purpose": "translation"}), [])
}

test_absent_purpose_is_general_and_needs_no_block if {
	allowed_with(with_context({"model_refused": false}), [])
}

test_absent_context_is_general_and_needs_no_block if {
	allowed_with(without(base_input, "context"), [])
}

test_invalid_purpose_counts_as_general_and_is_only_invalid_input if {
	invalid_input(with_context({"purpose": 7}), ["context.purpose must be a string"])
}

# Inputs built from the valid contexts, for the tests above that remove fields.
force_context_input := with_context(force_context)

surveillance_context_input := with_context(surveillance_context)

automated_decision_context_input := with_context(automated_decision_context)
