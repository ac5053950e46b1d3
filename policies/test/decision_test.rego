# The result document: its shape, deny overrides, the order of violations and
# obligations, and obligations only on allowed decisions.
package contract_test

test_decision_has_exactly_allow_violations_and_obligations if {
	object.keys(decide(base_input)) == {"allow", "violations", "obligations"}
}

test_base_input_is_allowed_with_nothing_else if {
	decide(base_input) == {"allow": true, "violations": [], "obligations": []}
}

test_violation_objects_have_exactly_code_clause_and_message if {
	d := decide(merged({"resource": {"deployment": {"target": "edge", "platform": "drone"}}}))
	count(d.violations) == 2
	every v in d.violations {
		object.keys(v) == {"code", "clause", "message"}
	}
}

test_obligation_objects_have_exactly_code_and_message if {
	d := decide(surveillance_with({}))
	count(d.obligations) == 1
	every o in d.obligations {
		object.keys(o) == {"code", "message"}
	}
}

test_every_violation_that_applies_is_listed_sorted_by_code if {
	denied_with(
		object.union(base_input, {
			"subject": {"component": "NSA"},
			"action": {"type": "safety_config"},
			"resource": {"deployment": {
				"id": "govcloud-secret-west", "target": "edge",
				"platform": "drone",
			}},
			"context": {"purpose": "social_scoring", "model_refused": true},
		}),
		[
			"CLEARANCE_INSUFFICIENT",
			"CLEARED_PERSONNEL_REQUIRED",
			"EDGE_DEPLOYMENT",
			"EXCLUDED_COMPONENT",
			"OPERATIONAL_HARDWARE",
			"REFUSAL_HONORED",
			"SAFETY_STACK_PROVIDER_CONTROLLED",
			"SOCIAL_SCORING",
		],
	)
}

test_red_lines_of_all_three_context_blocks_are_listed_together_sorted_by_code if {
	denied_with(
		with_context({
			"purpose": "targeting",
			"use_of_force": {"involved": true, "autonomy": "autonomous", "target_selected_by": "machine"},
			"surveillance": {"us_persons": "yes", "location": "domestic", "scope": "bulk", "data_source": "commercially_acquired"},
			"automated_decision": {"affects_individuals": true, "impact": "high", "human_review": false},
		}),
		[
			"AUTONOMOUS_WEAPONS",
			"COMMERCIAL_DATA_US_PERSONS",
			"DOMESTIC_SURVEILLANCE_US_PERSONS",
			"HIGH_STAKES_AUTOMATED_DECISION",
			"HUMAN_RESPONSIBILITY_REQUIRED",
			"MACHINE_TARGET_SELECTION",
			"MASS_DOMESTIC_SURVEILLANCE",
		],
	)
}

test_violations_with_the_same_code_are_sorted_by_message if {
	invalid_input({"subject": {}, "action": {}, "resource": {"deployment": {}}}, [
		"action.type is required and must be one of \"inference\", \"tool_call\", \"fine_tune\", \"deploy\", \"safety_config\", \"override_refusal\"",
		"resource.deployment.id is required and must be a string",
		"resource.deployment.target is required and must be one of \"cloud_api\", \"edge\"",
		"subject.id is required and must be a string",
		"subject.org is required and must be one of \"customer\", \"provider\"",
	])
}

test_codes_sort_before_messages_for_mixed_codes if {
	# INSUFFICIENT_CONTEXT sorts before INVALID_INPUT by code, whatever the messages.
	denied_with(
		merged({"subject": {"type": "robot"}, "context": {"purpose": "targeting"}}),
		["INSUFFICIENT_CONTEXT", "INVALID_INPUT"],
	)
}

test_all_obligations_are_listed_sorted_by_code_when_allowed if {
	decide(object.union(base_input, {
		"subject": {"org": "provider"},
		"action": {"type": "override_refusal"},
		"context": {
			"purpose": "targeting",
			"use_of_force": force_context.use_of_force,
			"surveillance": surveillance_context.surveillance,
			"automated_decision": automated_decision_context.automated_decision,
		},
	})) == {
		"allow": true,
		"violations": [],
		"obligations": [
			{
				"code": "HUMAN_DECISION_REQUIRED",
				"message": "the model's output is advice only; the accountable human \"col-smith\" makes the use-of-force decision",
			},
			{
				"code": "HUMAN_REVIEW_REQUIRED",
				"message": "a human must review this high-stakes decision before it takes effect",
			},
			{
				"code": "PROVIDER_OVERRIDE_AUDITED",
				"message": "the provider's override of a model refusal must be recorded in the audit trail",
			},
			{
				"code": "US_PERSON_MINIMIZATION",
				"message": "incidental U.S.-person information must be minimized",
			},
		],
	}
}

test_denied_decision_has_no_obligations_even_when_some_apply if {
	denied_with(
		object.union(surveillance_with({}), {"resource": {"deployment": {"target": "edge"}}}),
		["EDGE_DEPLOYMENT"],
	)
}

test_one_violation_denies_an_otherwise_allowed_request_with_obligations if {
	denied_with(
		object.union(force_with({}), {"subject": {"component": "nsa"}}),
		["EXCLUDED_COMPONENT"],
	)
}

test_allow_is_false_whenever_there_is_a_violation if {
	d := decide(merged({"resource": {"deployment": {"target": "edge"}}}))
	d.allow == false
	count(d.violations) > 0
}
