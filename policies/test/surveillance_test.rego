# Clause red-line/mass-domestic-surveillance (DOMESTIC_SURVEILLANCE_US_PERSONS,
# MASS_DOMESTIC_SURVEILLANCE, COMMERCIAL_DATA_US_PERSONS,
# BULK_COLLECTION_NOT_PERMITTED) and the US_PERSON_MINIMIZATION obligation.
package contract_test

test_targeted_foreign_collection_on_non_us_persons_is_allowed_with_minimization if {
	allowed_with(surveillance_with({}), ["US_PERSON_MINIMIZATION"])
}

test_targeted_domestic_collection_on_non_us_persons_is_allowed_with_minimization if {
	allowed_with(surveillance_with({"location": "domestic"}), ["US_PERSON_MINIMIZATION"])
}

test_targeted_collection_with_unknown_us_persons_is_allowed_with_minimization if {
	allowed_with(surveillance_with({"us_persons": "unknown", "location": "unknown"}), ["US_PERSON_MINIMIZATION"])
}

test_surveillance_of_us_persons_is_denied if {
	denied_exactly(surveillance_with({"us_persons": "yes"}), [{
		"code": "DOMESTIC_SURVEILLANCE_US_PERSONS",
		"clause": "red-line/mass-domestic-surveillance",
		"message": "surveillance with us_persons \"yes\"; intentional surveillance of U.S. persons is prohibited",
	}])
}

test_bulk_domestic_collection_is_mass_domestic_surveillance if {
	denied_exactly(surveillance_with({"scope": "bulk", "location": "domestic"}), [{
		"code": "MASS_DOMESTIC_SURVEILLANCE",
		"clause": "red-line/mass-domestic-surveillance",
		"message": "bulk collection with us_persons \"no\" and location \"domestic\" is mass domestic surveillance, which is prohibited",
	}])
}

test_bulk_collection_at_an_unknown_location_is_mass_domestic_surveillance if {
	denied_with(surveillance_with({"scope": "bulk", "location": "unknown"}), ["MASS_DOMESTIC_SURVEILLANCE"])
}

test_bulk_foreign_collection_with_unknown_us_persons_is_mass_domestic_surveillance if {
	denied_with(surveillance_with({"scope": "bulk", "us_persons": "unknown"}), ["MASS_DOMESTIC_SURVEILLANCE"])
}

test_bulk_foreign_collection_is_not_permitted_by_default if {
	denied_exactly(surveillance_with({"scope": "bulk"}), [{
		"code": "BULK_COLLECTION_NOT_PERMITTED",
		"clause": "red-line/mass-domestic-surveillance",
		"message": "bulk collection with location \"foreign\" is not permitted: data.contract.settings.foreign_bulk_permitted is not true",
	}])
}

test_bulk_foreign_collection_is_allowed_when_the_data_permits_it if {
	allowed_with(surveillance_with({"scope": "bulk"}), ["US_PERSON_MINIMIZATION"]) with data.contract.settings.foreign_bulk_permitted as true
}

test_permitting_foreign_bulk_does_not_permit_mass_domestic_surveillance if {
	denied_with(surveillance_with({"scope": "bulk", "location": "domestic"}), ["MASS_DOMESTIC_SURVEILLANCE"]) with data.contract.settings.foreign_bulk_permitted as true
}

test_foreign_bulk_permitted_counts_only_when_exactly_true if {
	denied_with(surveillance_with({"scope": "bulk"}), ["BULK_COLLECTION_NOT_PERMITTED"]) with data.contract.settings.foreign_bulk_permitted as "true"
}

test_missing_settings_do_not_permit_foreign_bulk if {
	denied_with(surveillance_with({"scope": "bulk"}), ["BULK_COLLECTION_NOT_PERMITTED"]) with data.contract.settings as {}
}

test_commercially_acquired_data_with_unknown_us_persons_is_denied if {
	denied_exactly(surveillance_with({"us_persons": "unknown", "data_source": "commercially_acquired"}), [{
		"code": "COMMERCIAL_DATA_US_PERSONS",
		"clause": "red-line/mass-domestic-surveillance",
		"message": "commercially acquired data with us_persons \"unknown\"; surveillance of U.S. persons through commercially acquired data is prohibited",
	}])
}

test_commercially_acquired_data_on_us_persons_lists_both_violations if {
	denied_with(surveillance_with({"us_persons": "yes", "data_source": "commercially_acquired"}), [
		"COMMERCIAL_DATA_US_PERSONS",
		"DOMESTIC_SURVEILLANCE_US_PERSONS",
	])
}

test_commercially_acquired_data_without_us_persons_is_allowed if {
	allowed_with(surveillance_with({"data_source": "commercially_acquired"}), ["US_PERSON_MINIMIZATION"])
}

test_commercially_acquired_data_source_is_matched_case_insensitively if {
	denied_with(surveillance_with({"us_persons": "unknown", "data_source": "Commercially_Acquired"}), ["COMMERCIAL_DATA_US_PERSONS"])
}

test_other_data_source_with_unknown_us_persons_is_allowed if {
	allowed_with(surveillance_with({"us_persons": "unknown", "data_source": "open_source"}), ["US_PERSON_MINIMIZATION"])
}

test_commercial_data_without_us_persons_field_is_invalid_and_denied if {
	denied_with(
		without(surveillance_with({"data_source": "commercially_acquired"}), "context/surveillance/us_persons"),
		["COMMERCIAL_DATA_US_PERSONS", "INVALID_INPUT"],
	)
}

test_bulk_domestic_commercial_collection_on_us_persons_lists_three_violations_sorted if {
	denied_with(
		surveillance_with({"us_persons": "yes", "location": "domestic", "scope": "bulk", "data_source": "commercially_acquired"}),
		["COMMERCIAL_DATA_US_PERSONS", "DOMESTIC_SURVEILLANCE_US_PERSONS", "MASS_DOMESTIC_SURVEILLANCE"],
	)
}

test_surveillance_block_applies_whatever_the_purpose if {
	denied_with(
		with_context({"purpose": "logistics", "surveillance": {"us_persons": "yes", "location": "foreign", "scope": "targeted"}}),
		["DOMESTIC_SURVEILLANCE_US_PERSONS"],
	)
	allowed_with(with_context({"surveillance": surveillance_context.surveillance}), ["US_PERSON_MINIMIZATION"])
}

test_surveillance_purposes_come_from_the_data if {
	denied_with(base_input, ["INSUFFICIENT_CONTEXT"]) with data.contract.surveillance_purposes as ["logistics"]
	allowed_with(with_context({"purpose": "monitoring"}), []) with data.contract.surveillance_purposes as []
}
