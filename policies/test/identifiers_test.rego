# The three names looked up in the lists (subject.component,
# resource.deployment.platform and context.purpose) are identifiers: ASCII
# letters, digits, "-" and "_", compared case-insensitively with the lists.
# Any other string is INVALID_INPUT naming the field, so that no spelling can
# slip a request past a list.
package contract_test

identifier_message(path) := concat("", [path, " must be an identifier: ASCII letters, digits, \"-\" and \"_\" only, not empty"])

test_purpose_with_a_trailing_space_cannot_escape_the_use_of_force_rules if {
	# "targeting " is in no list, so the block below says no force is involved;
	# without the identifier rule it would be allowed
	invalid_input(
		with_context({
			"purpose": "targeting ",
			"use_of_force": {"involved": false, "autonomy": "autonomous", "target_selected_by": "machine"},
		}),
		[identifier_message("context.purpose")],
	)
}

test_purpose_with_a_trailing_space_is_invalid if {
	invalid_input(merged({"context": {"purpose": "logistics "}}), [identifier_message("context.purpose")])
}

test_purpose_with_a_zero_width_space_is_invalid if {
	invalid_input(merged({"context": {"purpose": "logis\u200btics"}}), [identifier_message("context.purpose")])
}

test_empty_purpose_is_invalid if {
	invalid_input(merged({"context": {"purpose": ""}}), [identifier_message("context.purpose")])
}

test_component_with_a_cyrillic_look_alike_letter_is_invalid if {
	invalid_input(merged({"subject": {"component": "ns\u0430"}}), [identifier_message("subject.component")])
}

test_component_with_a_control_character_is_invalid if {
	invalid_input(merged({"subject": {"component": "nsa\u0000"}}), [identifier_message("subject.component")])
}

test_platform_with_a_kelvin_sign_is_invalid if {
	# lower() maps the Kelvin sign to an ASCII "k"
	invalid_input(merged({"resource": {"deployment": {"platform": "\u212a9"}}}), [identifier_message("resource.deployment.platform")])
}

test_platform_with_a_trailing_space_is_invalid_even_when_it_names_no_hardware if {
	invalid_input(merged({"resource": {"deployment": {"platform": "datacenter "}}}), [identifier_message("resource.deployment.platform")])
}

test_identifiers_may_use_upper_case_digits_dashes_and_underscores if {
	allowed_with(
		merged({
			"subject": {"component": "Army-G2_7"},
			"resource": {"deployment": {"platform": "DataCenter-2"}},
			"context": {"purpose": "LOGISTICS_planning-3"},
		}),
		[],
	)
}

test_listed_identifiers_match_in_any_case if {
	denied_with(merged({"resource": {"deployment": {"platform": "Weapon_System"}}}), ["OPERATIONAL_HARDWARE"])
	denied_with(with_context({"purpose": "TARGETING"}), ["INSUFFICIENT_CONTEXT"])
}
