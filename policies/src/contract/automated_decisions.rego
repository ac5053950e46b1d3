# Clause red-line/high-stakes-automated-decisions: no high-stakes automated
# decisions (for example "social credit" scoring); a human must review any
# decision with high impact on individuals.
#
# An automated decision "is high-stakes" when the purpose is one of
# data.contract.high_impact_purposes (even if impact says low), or when impact
# is "high" and affects_individuals is true. These rules, except SOCIAL_SCORING,
# apply only when context.automated_decision is present.
#
#   SOCIAL_SCORING                  the purpose is "social_scoring"
#   HIGH_STAKES_AUTOMATED_DECISION  the decision is high-stakes and
#                                   human_review is not true
#   obligation HUMAN_REVIEW_REQUIRED  the decision is high-stakes
package contract

automated_decision_block := input.context.automated_decision if is_object(input.context.automated_decision)

high_impact_purpose if purpose in high_impact_purpose_set

high_stakes if {
	is_object(automated_decision_block)
	high_impact_purpose
}

high_stakes if {
	automated_decision_block.impact == "high"
	automated_decision_block.affects_individuals == true
}

# Why the decision is high-stakes, for the messages.
high_stakes_reason := concat("", ["purpose ", quote(purpose), " is high-impact"]) if {
	high_impact_purpose
} else := "impact is \"high\" and it affects individuals"

violation contains {
	"code": "SOCIAL_SCORING",
	"clause": "red-line/high-stakes-automated-decisions",
	"message": "purpose \"social_scoring\": social credit scoring of individuals is prohibited",
} if {
	purpose == "social_scoring"
}

violation contains {
	"code": "HIGH_STAKES_AUTOMATED_DECISION",
	"clause": "red-line/high-stakes-automated-decisions",
	"message": concat("", [
		"the automated decision is high-stakes (", high_stakes_reason, ") and human_review is ",
		describe(automated_decision_block, "human_review"), "; a human must review it",
	]),
} if {
	high_stakes
	not automated_decision_block.human_review == true
}

obligation contains {
	"code": "HUMAN_REVIEW_REQUIRED",
	"message": "a human must review this high-stakes decision before it takes effect",
} if {
	high_stakes
}
