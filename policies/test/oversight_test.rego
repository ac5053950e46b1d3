# Clauses oversight/cleared-personnel (CLEARED_PERSONNEL_REQUIRED) and
# access/classification (CLEARANCE_INSUFFICIENT), with the classification
# escalated to the higher of the input and the data.
package contract_test

secret_input(deployment_id, clearance) := merged({
	"subject": {"clearance": clearance},
	"resource": {"deployment": {"id": deployment_id}},
})

test_secret_deployment_with_cleared_personnel_and_a_secret_clearance_is_allowed if {
	allowed_with(secret_input("govcloud-secret-east", "secret"), [])
}

test_top_secret_deployment_with_a_top_secret_clearance_is_allowed if {
	allowed_with(secret_input("govcloud-ts-1", "top_secret"), [])
}

test_higher_clearance_than_needed_is_allowed if {
	allowed_with(secret_input("govcloud-secret-east", "top_secret"), [])
}

test_secret_deployment_without_cleared_personnel_is_denied if {
	denied_exactly(secret_input("govcloud-secret-west", "secret"), [{
		"code": "CLEARED_PERSONNEL_REQUIRED",
		"clause": "oversight/cleared-personnel",
		"message": "deployment \"govcloud-secret-west\" is classified \"secret\" and has no cleared provider personnel assigned",
	}])
}

test_unclassified_deployment_needs_no_cleared_personnel if {
	allowed_with(base_input, [])
}

test_data_classification_overrides_a_lower_input_classification if {
	denied_exactly(merged({"resource": {"deployment": {"id": "govcloud-secret-east", "classification": "unclassified"}}}), [{
		"code": "CLEARANCE_INSUFFICIENT",
		"clause": "access/classification",
		"message": "subject clearance \"none\" ranks below the \"secret\" classification of deployment \"govcloud-secret-east\"",
	}])
}

test_input_classification_higher_than_the_data_is_kept if {
	denied_exactly(merged({"resource": {"deployment": {"classification": "secret"}}}), [
		{
			"code": "CLEARANCE_INSUFFICIENT",
			"clause": "access/classification",
			"message": "subject clearance \"none\" ranks below the \"secret\" classification of deployment \"govcloud-east\"",
		},
		{
			"code": "CLEARED_PERSONNEL_REQUIRED",
			"clause": "oversight/cleared-personnel",
			"message": "deployment \"govcloud-east\" is classified \"secret\" and has no cleared provider personnel assigned",
		},
	])
}

test_top_secret_input_on_a_secret_deployment_needs_a_top_secret_clearance if {
	denied_with(
		merged({
			"subject": {"clearance": "secret"},
			"resource": {"deployment": {"id": "govcloud-secret-east", "classification": "top_secret"}},
		}),
		["CLEARANCE_INSUFFICIENT"],
	)
}

test_secret_clearance_is_insufficient_for_top_secret if {
	denied_with(secret_input("govcloud-ts-1", "secret"), ["CLEARANCE_INSUFFICIENT"])
}

test_confidential_clearance_is_insufficient_for_secret if {
	denied_with(secret_input("govcloud-secret-east", "confidential"), ["CLEARANCE_INSUFFICIENT"])
}

test_confidential_clearance_is_enough_for_unclassified if {
	allowed_with(merged({"subject": {"clearance": "confidential"}}), [])
}

test_absent_clearance_counts_as_none if {
	denied_exactly(without(secret_input("govcloud-secret-east", "none"), "subject/clearance"), [{
		"code": "CLEARANCE_INSUFFICIENT",
		"clause": "access/classification",
		"message": "subject clearance \"none\" ranks below the \"secret\" classification of deployment \"govcloud-secret-east\"",
	}])
}

test_invalid_clearance_is_invalid_input_and_counts_as_none if {
	denied_exactly(secret_input("govcloud-secret-east", "Secret"), [
		{
			"code": "CLEARANCE_INSUFFICIENT",
			"clause": "access/classification",
			"message": "subject clearance (invalid, counted as \"none\") ranks below the \"secret\" classification of deployment \"govcloud-secret-east\"",
		},
		{
			"code": "INVALID_INPUT",
			"clause": "input",
			"message": "subject.clearance must be one of \"none\", \"confidential\", \"secret\", \"top_secret\"",
		},
	])
}

test_deployment_missing_from_the_data_is_unclassified_by_default if {
	allowed_with(merged({"resource": {"deployment": {"id": "field-lab-9"}}}), [])
}

test_deployment_missing_from_the_data_has_no_cleared_personnel if {
	denied_exactly(
		merged({
			"subject": {"clearance": "top_secret"},
			"resource": {"deployment": {"id": "field-lab-9", "classification": "top_secret"}},
		}),
		[{
			"code": "CLEARED_PERSONNEL_REQUIRED",
			"clause": "oversight/cleared-personnel",
			"message": "deployment \"field-lab-9\" is classified \"top_secret\" and has no cleared provider personnel assigned",
		}],
	)
}

test_cleared_personnel_counts_only_when_exactly_true if {
	denied_with(secret_input("govcloud-secret-east", "secret"), ["CLEARED_PERSONNEL_REQUIRED"]) with data.contract.deployments as {"govcloud-secret-east": {"classification": "secret", "cleared_personnel": "true"}}
}

test_cleared_personnel_comes_from_the_data if {
	allowed_with(secret_input("govcloud-secret-west", "secret"), []) with data.contract.deployments["govcloud-secret-west"].cleared_personnel as true
}

test_data_entry_without_a_valid_classification_ranks_as_top_secret if {
	denied_exactly(base_input, [{
		"code": "CLEARANCE_INSUFFICIENT",
		"clause": "access/classification",
		"message": "subject clearance \"none\" ranks below the \"top_secret\" classification of deployment \"govcloud-east\"",
	}]) with data.contract.deployments as {"govcloud-east": {"classification": "restricted", "cleared_personnel": true}}
}

test_data_entry_that_is_not_an_object_ranks_as_top_secret_without_cleared_personnel if {
	denied_with(base_input, ["CLEARANCE_INSUFFICIENT", "CLEARED_PERSONNEL_REQUIRED"]) with data.contract.deployments as {"govcloud-east": true}
}
