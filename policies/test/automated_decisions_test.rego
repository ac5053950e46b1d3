# Clause red-line/high-stakes-automated-decisions (SOCIAL_SCORING,
# HIGH_STAKES_AUTOMATED_DECISION) and the HUMAN_REVIEW_REQUIRED obligation.
package contract_test

test_social_scoring_is_denied_without_any_block if {
	denied_exactly(with_context({"purpose": "social_scoring"}), [{
		"code": "SOCIAL_SCORING",
		"clause": "red-line/high-stakes-automated-decisions",
		"message": "purpose \"social_scoring\": social credit scoring of individuals is prohibited",
	}])
}

test_social_scoring_is_matched_case_insensitively if {
	denied_with(with_context({"purpose": "Social_Scoring"}), ["SOCIAL_SCORING"])
}

test_social_scoring_is_denied_even_with_human_review if {
	denied_with(
		with_context({"purpose": "social_scoring", "automated_decision": automated_decision_context.automated_decision}),
		["SOCIAL_SCORING"],
	)
}

test_social_scoring_with_an_unreviewed_high_impact_decision_lists_both if {
	denied_with(
		with_context({
			"purpose": "social_scoring",
			"automated_decision": {"affects_individuals": true, "impact": "high", "human_review": false},
		}),
		["HIGH_STAKES_AUTOMATED_DECISION", "SOCIAL_SCORING"],
	)
}

test_reviewed_high_impact_purpose_is_allowed_with_human_review_required if {
	decide(automated_decision_with({})) == {
		"allow": true,
		"violations": [],
		"obligations": [{
			"code": "HUMAN_REVIEW_REQUIRED",
			"message": "a human must review this high-stakes decision before it takes effect",
		}],
	}
}

test_unreviewed_high_impact_purpose_is_denied if {
	denied_exactly(automated_decision_with({"human_review": false}), [{
		"code": "HIGH_STAKES_AUTOMATED_DECISION",
		"clause": "red-line/high-stakes-automated-decisions",
		"message": "the automated decision is high-stakes (purpose \"personnel_evaluation\" is high-impact) and human_review is false; a human must review it",
	}])
}

test_high_impact_purpose_is_high_stakes_even_if_impact_says_low if {
	denied_with(automated_decision_with({"impact": "low", "affects_individuals": false, "human_review": false}), [
		"HIGH_STAKES_AUTOMATED_DECISION",
	])
	allowed_with(automated_decision_with({"impact": "low", "affects_individuals": false}), ["HUMAN_REVIEW_REQUIRED"])
}

test_high_impact_on_individuals_is_high_stakes_whatever_the_purpose if {
	denied_exactly(
		with_context({
			"purpose": "logistics",
			"automated_decision": {"affects_individuals": true, "impact": "high", "human_review": false},
		}),
		[{
			"code": "HIGH_STAKES_AUTOMATED_DECISION",
			"clause": "red-line/high-stakes-automated-decisions",
			"message": "the automated decision is high-stakes (impact is \"high\" and it affects individuals) and human_review is false; a human must review it",
		}],
	)
}

test_reviewed_high_impact_on_individuals_is_allowed_with_human_review_required if {
	allowed_with(
		with_context({
			"purpose": "logistics",
			"automated_decision": {"affects_individuals": true, "impact": "high", "human_review": true},
		}),
		["HUMAN_REVIEW_REQUIRED"],
	)
}

test_high_impact_not_affecting_individuals_is_not_high_stakes if {
	allowed_with(
		with_context({
			"purpose": "logistics",
			"automated_decision": {"affects_individuals": false, "impact": "high", "human_review": false},
		}),
		[],
	)
}

test_low_impact_on_individuals_is_not_high_stakes if {
	allowed_with(
		with_context({
			"purpose": "logistics",
			"automated_decision": {"affects_individuals": true, "impact": "low", "human_review": false},
		}),
		[],
	)
}

test_every_default_high_impact_purpose_needs_human_review if {
	every p in data.contract.high_impact_purposes {
		denied_with(
			with_context({"purpose": p, "automated_decision": {"affects_individuals": false, "impact": "low", "human_review": false}}),
			["HIGH_STAKES_AUTOMATED_DECISION"],
		)
	}
}

test_high_impact_purposes_come_from_the_data if {
	allowed_with(automated_decision_with({"impact": "low", "human_review": false}), []) with data.contract.high_impact_purposes as []
	denied_with(base_input, ["INSUFFICIENT_CONTEXT"]) with data.contract.high_impact_purposes as ["logistics"]
}
