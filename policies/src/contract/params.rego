# Policy parameters. They come only from data.contract (policies/src/data.json,
# or a bundle that overrides it); nothing here hard-codes a parameter value.
#
# The policy cannot decide safely without its parameters: if the host did not
# load the data (a Wasm host must set it explicitly) or a parameter has the
# wrong shape, every request is denied with INVALID_INPUT naming the parameter.
package contract

# The list parameters are compared case-insensitively: x, a lower-case string,
# is in a list when some string s of the list has lower(s) == x (items that are
# not strings are skipped). in_list says it plainly; the rules ask listed
# (params_list_state.rego), which gives the same answer faster.
in_list(x, list) if {
	some s in list
	lower(s) == x
}

# The purpose is in a purpose list, given the list's state for the purpose.

use_of_force_purpose(state) if {
	state != "plain"
	listed(state, purpose, data.contract.use_of_force_purposes)
}

surveillance_purpose(state) if {
	state != "plain"
	listed(state, purpose, data.contract.surveillance_purposes)
}

high_impact_purpose(state) if {
	state != "plain"
	listed(state, purpose, data.contract.high_impact_purposes)
}

# foreign_bulk_permitted holds only when the setting is exactly true; a missing
# setting or any other value keeps bulk collection forbidden.
foreign_bulk_permitted if data.contract.settings.foreign_bulk_permitted == true

# The provider's claim (subject.org "provider") is bound to a verified identity
# unless provider_principals is exactly the empty list. Principals are compared
# exactly: they are the identities the PDP verified, not names to normalize.
provider_principals_unbound if data.contract.provider_principals == []

caller_is_provider_principal if input.caller.principal in data.contract.provider_principals

# The shape of the policy data: one violation per parameter that is missing or
# malformed, made only when the quick check (valid_params) fails.

violation contains params_violation if {
	not valid_params(data.contract.deployments, data.contract.provider_principals, [
		[prohibited_platforms_state, data.contract.prohibited_platforms],
		[use_of_force_purposes_state, data.contract.use_of_force_purposes],
		[surveillance_purposes_state, data.contract.surveillance_purposes],
		[high_impact_purposes_state, data.contract.high_impact_purposes],
		[excluded_components_state, data.contract.excluded_components],
	])
	some params_violation in params_violations
}

params_violations contains malformed_list_violation(name) if {
	some name in [
		"prohibited_platforms",
		"use_of_force_purposes",
		"surveillance_purposes",
		"high_impact_purposes",
		"excluded_components",
		"provider_principals",
	]
	not name in well_formed_parameter
}

params_violations contains {
	"code": "INVALID_INPUT",
	"clause": "input",
	"message": "policy data data.contract.deployments is missing or not an object; the decision point is misconfigured",
} if {
	not "deployments" in well_formed_parameter
}

malformed_list_violation(name) := {
	"code": "INVALID_INPUT",
	"clause": "input",
	"message": concat("", [
		"policy data data.contract.", name,
		" is missing or not a list of strings; the decision point is misconfigured",
	]),
}

# Each check is a rule of its own, so that a parameter that is missing
# altogether (undefined) fails it too.

well_formed_parameter contains "prohibited_platforms" if string_list(data.contract.prohibited_platforms)

well_formed_parameter contains "use_of_force_purposes" if string_list(data.contract.use_of_force_purposes)

well_formed_parameter contains "surveillance_purposes" if string_list(data.contract.surveillance_purposes)

well_formed_parameter contains "high_impact_purposes" if string_list(data.contract.high_impact_purposes)

well_formed_parameter contains "excluded_components" if string_list(data.contract.excluded_components)

well_formed_parameter contains "provider_principals" if string_list(data.contract.provider_principals)

well_formed_parameter contains "deployments" if is_object(data.contract.deployments)

string_list(value) if {
	is_array(value)
	every item in value {
		is_string(item)
	}
}
