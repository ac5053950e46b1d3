# Clauses safety-stack/provider-control (SAFETY_STACK_PROVIDER_CONTROLLED) and
# safety-stack/refusal (REFUSAL_HONORED), and the PROVIDER_OVERRIDE_AUDITED
# obligation.
package contract_test

action_by(org, action_type) := merged({"subject": {"org": org}, "action": {"type": action_type}})

test_customer_deploy_is_denied if {
	denied_exactly(action_by("customer", "deploy"), [{
		"code": "SAFETY_STACK_PROVIDER_CONTROLLED",
		"clause": "safety-stack/provider-control",
		"message": "action \"deploy\" is reserved to the provider, which controls the safety stack; subject.org is \"customer\"",
	}])
}

test_customer_safety_config_is_denied if {
	denied_with(action_by("customer", "safety_config"), ["SAFETY_STACK_PROVIDER_CONTROLLED"])
}

test_customer_override_refusal_is_denied if {
	denied_with(action_by("customer", "override_refusal"), ["SAFETY_STACK_PROVIDER_CONTROLLED"])
}

test_provider_deploy_is_allowed if {
	allowed_with(action_by("provider", "deploy"), [])
}

test_provider_safety_config_is_allowed if {
	allowed_with(action_by("provider", "safety_config"), [])
}

test_customer_inference_tool_call_and_fine_tune_are_allowed if {
	allowed_with(action_by("customer", "inference"), [])
	allowed_with(merged({"action": {"type": "tool_call", "tool": "search"}}), [])
	allowed_with(action_by("customer", "fine_tune"), [])
}

test_provider_override_refusal_is_allowed_and_audited if {
	decide(object.union(action_by("provider", "override_refusal"), {"context": {"model_refused": true}})) == {
		"allow": true,
		"violations": [],
		"obligations": [{
			"code": "PROVIDER_OVERRIDE_AUDITED",
			"message": "the provider's override of a model refusal must be recorded in the audit trail",
		}],
	}
}

test_provider_override_refusal_is_audited_even_without_a_refusal_flag if {
	allowed_with(action_by("provider", "override_refusal"), ["PROVIDER_OVERRIDE_AUDITED"])
}

test_refused_task_cannot_be_compelled_by_the_customer if {
	denied_exactly(merged({"context": {"model_refused": true}}), [{
		"code": "REFUSAL_HONORED",
		"clause": "safety-stack/refusal",
		"message": "the model already refused this task and a refusal cannot be compelled; subject.org is \"customer\"",
	}])
}

test_refused_task_may_be_handled_by_the_provider if {
	allowed_with(object.union(action_by("provider", "inference"), {"context": {"model_refused": true}}), [])
}

test_task_not_refused_is_allowed if {
	allowed_with(merged({"context": {"model_refused": false}}), [])
}

test_customer_override_of_a_refusal_lists_both_safety_stack_violations if {
	denied_with(object.union(action_by("customer", "override_refusal"), {"context": {"model_refused": true}}), [
		"REFUSAL_HONORED",
		"SAFETY_STACK_PROVIDER_CONTROLLED",
	])
}

test_provider_controlled_action_without_an_org_is_invalid_and_denied if {
	denied_exactly(without(action_by("customer", "safety_config"), "subject/org"), [
		{
			"code": "INVALID_INPUT",
			"clause": "input",
			"message": "subject.org is required and must be one of \"customer\", \"provider\"",
		},
		{
			"code": "SAFETY_STACK_PROVIDER_CONTROLLED",
			"clause": "safety-stack/provider-control",
			"message": "action \"safety_config\" is reserved to the provider, which controls the safety stack; subject.org is missing",
		},
	])
}
