# Policy parameters. They come only from data.contract (policies/src/data.json,
# or a bundle that overrides it); nothing here hard-codes a parameter value.
#
# Lists are turned into sets of lower-case strings once per evaluation, so every
# rule looks a value up in a set instead of scanning a list.
#
# The policy cannot decide safely without its parameters: if the host did not
# load the data (a Wasm host must set it explicitly) or a parameter has the
# wrong shape, every request is denied with INVALID_INPUT naming the parameter.
package contract

prohibited_platform_set := lower_string_set(data.contract.prohibited_platforms)

use_of_force_purpose_set := lower_string_set(data.contract.use_of_force_purposes)

surveillance_purpose_set := lower_string_set(data.contract.surveillance_purposes)

high_impact_purpose_set := lower_string_set(data.contract.high_impact_purposes)

excluded_component_set := lower_string_set(data.contract.excluded_components)

# foreign_bulk_permitted holds only when the setting is exactly true; a missing
# setting or any other value keeps bulk collection forbidden.
foreign_bulk_permitted if data.contract.settings.foreign_bulk_permitted == true

lower_string_set(list) := {lower(s) | some s in list; is_string(s)}

# Shape checks of the policy data. Each check is a rule of its own, so that a
# parameter that is missing altogether (undefined) fails it too.

list_parameters := [
	"prohibited_platforms",
	"use_of_force_purposes",
	"surveillance_purposes",
	"high_impact_purposes",
	"excluded_components",
]

well_formed_parameter contains "prohibited_platforms" if string_list(data.contract.prohibited_platforms)

well_formed_parameter contains "use_of_force_purposes" if string_list(data.contract.use_of_force_purposes)

well_formed_parameter contains "surveillance_purposes" if string_list(data.contract.surveillance_purposes)

well_formed_parameter contains "high_impact_purposes" if string_list(data.contract.high_impact_purposes)

well_formed_parameter contains "excluded_components" if string_list(data.contract.excluded_components)

well_formed_parameter contains "deployments" if is_object(data.contract.deployments)

violation contains {
	"code": "INVALID_INPUT",
	"clause": "input",
	"message": concat("", [
		"policy data data.contract.", name,
		" is missing or not a list of strings; the decision point is misconfigured",
	]),
} if {
	some name in list_parameters
	not name in well_formed_parameter
}

violation contains {
	"code": "INVALID_INPUT",
	"clause": "input",
	"message": "policy data data.contract.deployments is missing or not an object; the decision point is misconfigured",
} if {
	not "deployments" in well_formed_parameter
}

string_list(value) if {
	is_array(value)
	every item in value {
		is_string(item)
	}
}
