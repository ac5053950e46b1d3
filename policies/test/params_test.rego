# Policy data: parameters come only from data.contract; when a parameter is
# missing or malformed the decision point is misconfigured and every request is
# denied (fail closed).
package contract_test

test_default_data_is_the_spec_defaults if {
	data.contract.prohibited_platforms == ["aircraft", "drone", "weapon_system", "sensor", "vehicle", "vessel", "munition"]
	data.contract.use_of_force_purposes == ["targeting", "fires", "strike_planning", "engagement"]
	data.contract.surveillance_purposes == [
		"surveillance", "intelligence_collection", "monitoring",
		"identification", "pattern_of_life", "signals_intelligence",
	]
	data.contract.high_impact_purposes == [
		"personnel_evaluation", "benefits_eligibility", "detention",
		"immigration", "security_clearance_adjudication", "law_enforcement_risk_scoring",
	]
	data.contract.excluded_components == ["nsa"]
	data.contract.provider_principals == []
	data.contract.deployments == {
		"govcloud-east": {"classification": "unclassified", "cleared_personnel": false},
		"govcloud-secret-east": {"classification": "secret", "cleared_personnel": true},
		"govcloud-secret-west": {"classification": "secret", "cleared_personnel": false},
		"govcloud-ts-1": {"classification": "top_secret", "cleared_personnel": true},
	}
	data.contract.settings == {"foreign_bulk_permitted": false}
}

test_list_parameter_that_is_not_a_list_denies_every_request if {
	invalid_input(base_input, [
		"policy data data.contract.prohibited_platforms is missing or not a list of strings; the decision point is misconfigured",
	]) with data.contract.prohibited_platforms as null
}

test_list_parameter_with_a_non_string_item_denies_every_request if {
	invalid_input(base_input, [
		"policy data data.contract.excluded_components is missing or not a list of strings; the decision point is misconfigured",
	]) with data.contract.excluded_components as ["nsa", 7]
}

test_each_list_parameter_is_checked if {
	denied_with(base_input, ["INVALID_INPUT"]) with data.contract.use_of_force_purposes as "targeting"
	denied_with(base_input, ["INVALID_INPUT"]) with data.contract.surveillance_purposes as {"monitoring": true}
	denied_with(base_input, ["INVALID_INPUT"]) with data.contract.high_impact_purposes as 0
}

test_provider_principals_that_are_not_a_list_of_strings_deny_every_request if {
	message := "policy data data.contract.provider_principals is missing or not a list of strings; the decision point is misconfigured"
	invalid_input(base_input, [message]) with data.contract.provider_principals as "spiffe://provider.example/model-serving"
	invalid_input(base_input, [message]) with data.contract.provider_principals as [{"spiffe": "provider"}]
	invalid_input(base_input, [message]) with data.contract.provider_principals as null
}

test_deployments_that_are_not_an_object_deny_every_request if {
	invalid_input(base_input, [
		"policy data data.contract.deployments is missing or not an object; the decision point is misconfigured",
	]) with data.contract.deployments as ["govcloud-east"]
}

test_empty_lists_and_deployments_are_valid_data if {
	allowed_with(merged({"resource": {"deployment": {"id": "anywhere"}}}), []) with data.contract.prohibited_platforms as []
		with data.contract.excluded_components as []
		with data.contract.deployments as {}
}

test_data_override_applies_to_one_evaluation_only if {
	denied_with(surveillance_with({"scope": "bulk"}), ["BULK_COLLECTION_NOT_PERMITTED"])
	allowed_with(surveillance_with({"scope": "bulk"}), ["US_PERSON_MINIMIZATION"]) with data.contract.settings.foreign_bulk_permitted as true
}
