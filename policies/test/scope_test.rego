# Clause scope/excluded-components: EXCLUDED_COMPONENT.
package contract_test

test_excluded_component_is_denied if {
	denied_exactly(merged({"subject": {"component": "nsa"}}), [{
		"code": "EXCLUDED_COMPONENT",
		"clause": "scope/excluded-components",
		"message": "subject component \"nsa\" is excluded from the contract unless the contract is amended",
	}])
}

test_excluded_component_in_upper_case_is_denied if {
	denied_exactly(merged({"subject": {"component": "NSA"}}), [{
		"code": "EXCLUDED_COMPONENT",
		"clause": "scope/excluded-components",
		"message": "subject component \"NSA\" is excluded from the contract unless the contract is amended",
	}])
}

test_excluded_component_in_mixed_case_is_denied if {
	denied_with(merged({"subject": {"component": "Nsa"}}), ["EXCLUDED_COMPONENT"])
}

test_other_component_is_allowed if {
	allowed_with(merged({"subject": {"component": "army"}}), [])
}

test_absent_component_is_allowed if {
	allowed_with(base_input, [])
}

test_component_that_only_contains_an_excluded_name_is_allowed if {
	allowed_with(merged({"subject": {"component": "nsa-liaison-office"}}), [])
}

test_excluded_component_is_denied_for_the_provider_org_too if {
	denied_with(merged({"subject": {"org": "provider", "component": "nsa"}}), ["EXCLUDED_COMPONENT"])
}

test_excluded_components_come_from_the_data if {
	denied_with(merged({"subject": {"component": "dia"}}), ["EXCLUDED_COMPONENT"]) with data.contract.excluded_components as ["NSA", "DIA"]
	denied_with(merged({"subject": {"component": "nsa"}}), ["EXCLUDED_COMPONENT"]) with data.contract.excluded_components as ["NSA", "DIA"]
}

test_amended_contract_without_exclusions_allows_the_component if {
	allowed_with(merged({"subject": {"component": "nsa"}}), []) with data.contract.excluded_components as []
}
