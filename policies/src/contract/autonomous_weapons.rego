# Clauses red-line/autonomous-weapons and human-responsibility/use-of-force: no
# fully autonomous weapons; humans stay responsible for the use of force (human
# in the loop, human selects targets, an accountable human authorizes),
# following the definitions of DoD Directive 3000.09.
#
# These rules apply only when context.use_of_force is present. Within it, use of
# force "is involved" when `involved` is true or the purpose is one of
# data.contract.use_of_force_purposes, even if `involved` says false.
#
#   AUTONOMOUS_WEAPONS             use of force is involved and autonomy is not
#                                  "human_in_the_loop"
#   MACHINE_TARGET_SELECTION       use of force is involved and
#                                  target_selected_by is not "human"
#   HUMAN_RESPONSIBILITY_REQUIRED  use of force is involved and no accountable
#                                  human is named in authorizing_human
#   obligation HUMAN_DECISION_REQUIRED  use of force is involved
package contract

# The rules of the block are evaluated only when it is present: one look at the
# input for each of the two sets, instead of one for each rule.

violation contains finding if {
	is_object(input.context.use_of_force)
	some finding in use_of_force_violation
}

obligation contains finding if {
	is_object(input.context.use_of_force)
	some finding in use_of_force_obligation
}

use_of_force_block := input.context.use_of_force

default force_involved := false

force_involved if {
	use_of_force_block.involved == true
} else if {
	use_of_force_purpose(use_of_force_purposes_state)
}

# The reason use of force is involved, for the messages.
force_involved_phrase := "use of force is involved" if {
	use_of_force_block.involved == true
} else := concat("", ["purpose ", quote(purpose), " involves use of force"])

# An accountable human is named: a string that is not empty or blank.
authorizing_human_named if trim_space(use_of_force_block.authorizing_human) != ""

use_of_force_violation contains {
	"code": "AUTONOMOUS_WEAPONS",
	"clause": "red-line/autonomous-weapons",
	"message": concat("", [
		force_involved_phrase, " and autonomy is ", describe(use_of_force_block, "autonomy"),
		"; a human must be in the loop",
	]),
} if {
	force_involved
	not use_of_force_block.autonomy == "human_in_the_loop"
}

use_of_force_violation contains {
	"code": "MACHINE_TARGET_SELECTION",
	"clause": "red-line/autonomous-weapons",
	"message": concat("", [
		force_involved_phrase, " and target_selected_by is ", describe(use_of_force_block, "target_selected_by"),
		"; a human must select the targets",
	]),
} if {
	force_involved
	not use_of_force_block.target_selected_by == "human"
}

use_of_force_violation contains {
	"code": "HUMAN_RESPONSIBILITY_REQUIRED",
	"clause": "human-responsibility/use-of-force",
	"message": concat("", [
		force_involved_phrase,
		" and authorizing_human names no accountable human; a human must authorize the use of force",
	]),
} if {
	force_involved
	not authorizing_human_named
}

use_of_force_obligation contains {
	"code": "HUMAN_DECISION_REQUIRED",
	"message": concat("", [
		"the model's output is advice only; the accountable human ",
		quote(use_of_force_block.authorizing_human), " makes the use-of-force decision",
	]),
} if {
	force_involved
	authorizing_human_named
}
