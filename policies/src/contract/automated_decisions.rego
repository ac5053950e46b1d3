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

violation contains {
	"code": "SOCIAL_SCORING",
	"clause": "red-line/high-stakes-automated-decisions",
	"message": "purpose \"social_scoring\": social credit scoring of individuals is prohibited",
} if {
	purpose == "social_scoring"
}

# The other rules are evaluated only when the block is present: one look at the
# input for each of the two sets, instead of one for each rule.

violation contains finding if {
	is_object(input.context.automated_decision)
	some finding in automated_decision_violation
}

obligation contains finding if {
	is_object(input.context.automated_decision)
	some finding in automated_decision_obligation
}

automated_decision_block := input.context.automated_decision

default high_stakes := false

high_stakes if {
	automated_decision_block.impact == "high"
	automated_decision_block.affects_individuals == true
} else if {
	high_impact_purpose(high_impact_purposes_state)
}

# Why the decision is high-stakes, for the messages.
default high_stakes_reason := "impact is \"high\" and it affects individuals"

high_stakes_reason := concat("", ["purpose ", quote(purpose), " is high-impact"]) if {
	high_impact_purpose(high_impact_purposes_state)
}

automated_decision_violation contains {
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

automated_decision_obligation contains {
	"code": "HUMAN_REVIEW_REQUIRED",
	"message": "a human must review this high-stakes decision before it takes effect",
} if {
	high_stakes
}
