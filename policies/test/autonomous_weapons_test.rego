# Clauses red-line/autonomous-weapons (AUTONOMOUS_WEAPONS,
# MACHINE_TARGET_SELECTION) and human-responsibility/use-of-force
# (HUMAN_RESPONSIBILITY_REQUIRED), and the HUMAN_DECISION_REQUIRED obligation.
package contract_test

test_human_in_the_loop_human_targets_and_an_authorizing_human_is_allowed_as_advice if {
	decide(force_with({})) == {
		"allow": true,
		"violations": [],
		"obligations": [{
			"code": "HUMAN_DECISION_REQUIRED",
			"message": "the model's output is advice only; the accountable human \"col-smith\" makes the use-of-force decision",
		}],
	}
}

test_autonomous_use_of_force_is_denied if {
	denied_exactly(force_with({"autonomy": "autonomous"}), [{
		"code": "AUTONOMOUS_WEAPONS",
		"clause": "red-line/autonomous-weapons",
		"message": "use of force is involved and autonomy is \"autonomous\"; a human must be in the loop",
	}])
}

test_human_on_the_loop_is_not_enough if {
	denied_with(force_with({"autonomy": "human_on_the_loop"}), ["AUTONOMOUS_WEAPONS"])
}

test_machine_target_selection_is_denied if {
	denied_exactly(force_with({"target_selected_by": "machine"}), [{
		"code": "MACHINE_TARGET_SELECTION",
		"clause": "red-line/autonomous-weapons",
		"message": "use of force is involved and target_selected_by is \"machine\"; a human must select the targets",
	}])
}

test_missing_authorizing_human_is_denied if {
	denied_exactly(without(with_context(force_context), "context/use_of_force/authorizing_human"), [{
		"code": "HUMAN_RESPONSIBILITY_REQUIRED",
		"clause": "human-responsibility/use-of-force",
		"message": "use of force is involved and authorizing_human names no accountable human; a human must authorize the use of force",
	}])
}

test_empty_authorizing_human_is_denied if {
	denied_with(force_with({"authorizing_human": ""}), ["HUMAN_RESPONSIBILITY_REQUIRED"])
}

test_blank_authorizing_human_is_denied if {
	denied_with(force_with({"authorizing_human": " \t "}), ["HUMAN_RESPONSIBILITY_REQUIRED"])
}

test_fully_autonomous_weapon_lists_all_three_violations_sorted if {
	denied_with(
		without(force_with({"autonomy": "autonomous", "target_selected_by": "machine"}), "context/use_of_force/authorizing_human"),
		["AUTONOMOUS_WEAPONS", "HUMAN_RESPONSIBILITY_REQUIRED", "MACHINE_TARGET_SELECTION"],
	)
}

test_use_of_force_purpose_is_involved_even_if_involved_says_false if {
	denied_exactly(force_with({"involved": false, "autonomy": "autonomous"}), [{
		"code": "AUTONOMOUS_WEAPONS",
		"clause": "red-line/autonomous-weapons",
		"message": "purpose \"targeting\" involves use of force and autonomy is \"autonomous\"; a human must be in the loop",
	}])
}

test_use_of_force_purpose_with_involved_false_still_carries_the_obligation if {
	allowed_with(force_with({"involved": false}), ["HUMAN_DECISION_REQUIRED"])
}

test_involved_true_applies_the_rules_whatever_the_purpose if {
	denied_with(
		with_context({"purpose": "logistics", "use_of_force": object.union(force_context.use_of_force, {"target_selected_by": "machine"})}),
		["MACHINE_TARGET_SELECTION"],
	)
}

test_involved_true_with_a_general_purpose_carries_the_obligation if {
	allowed_with(with_context({"use_of_force": force_context.use_of_force}), ["HUMAN_DECISION_REQUIRED"])
}

test_use_of_force_not_involved_outside_a_use_of_force_purpose_is_not_checked if {
	allowed_with(
		with_context({
			"purpose": "logistics",
			"use_of_force": {"involved": false, "autonomy": "autonomous", "target_selected_by": "machine"},
		}),
		[],
	)
}

test_involved_that_is_not_a_boolean_is_invalid_and_does_not_count_as_true if {
	invalid_input(
		with_context({
			"purpose": "logistics",
			"use_of_force": {"involved": "yes", "autonomy": "autonomous", "target_selected_by": "machine"},
		}),
		["context.use_of_force.involved must be a boolean"],
	)
}

test_use_of_force_purpose_is_matched_case_insensitively if {
	denied_with(
		with_context({"purpose": "Strike_Planning", "use_of_force": {"involved": false, "autonomy": "autonomous", "target_selected_by": "human", "authorizing_human": "maj-lee"}}),
		["AUTONOMOUS_WEAPONS"],
	)
}

test_use_of_force_purposes_come_from_the_data if {
	denied_with(base_input, ["INSUFFICIENT_CONTEXT"]) with data.contract.use_of_force_purposes as ["logistics"]
	allowed_with(with_context({"purpose": "targeting"}), []) with data.contract.use_of_force_purposes as []
}
