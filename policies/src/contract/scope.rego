# Clause scope/excluded-components: intelligence components named in the
# contract (for example the NSA) are excluded unless the contract is amended.
#
#   EXCLUDED_COMPONENT  subject.component is in data.contract.excluded_components
#                       (compared case-insensitively: "NSA", "Nsa" and "nsa" match)
package contract

violation contains {
	"code": "EXCLUDED_COMPONENT",
	"clause": "scope/excluded-components",
	"message": concat("", [
		"subject component ", quote(component),
		" is excluded from the contract unless the contract is amended",
	]),
} if {
	excluded_components_state != "plain"
	component := input.subject.component
	listed(excluded_components_state, lower(component), data.contract.excluded_components)
}
