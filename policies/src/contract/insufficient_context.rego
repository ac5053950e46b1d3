# Clause "input", INSUFFICIENT_CONTEXT: the purpose needs a context block that
# is absent.
#
#   use_of_force        needed by data.contract.use_of_force_purposes
#   surveillance        needed by data.contract.surveillance_purposes
#   automated_decision  needed by data.contract.high_impact_purposes
#
# One violation per block the purpose needs that is absent from a context
# object. A block that is present but not an object is not absent: it is
# INVALID_INPUT.
package contract

violation contains insufficient_context("use_of_force") if {
	use_of_force_purpose(use_of_force_purposes_state)
	is_object(input.context)
	not has_key(input.context, "use_of_force")
}

violation contains insufficient_context("surveillance") if {
	surveillance_purpose(surveillance_purposes_state)
	is_object(input.context)
	not has_key(input.context, "surveillance")
}

violation contains insufficient_context("automated_decision") if {
	high_impact_purpose(high_impact_purposes_state)
	is_object(input.context)
	not has_key(input.context, "automated_decision")
}

insufficient_context(block) := {
	"code": "INSUFFICIENT_CONTEXT",
	"clause": "input",
	"message": concat("", ["purpose ", quote(purpose), " requires the context.", block, " block, which is absent"]),
}
