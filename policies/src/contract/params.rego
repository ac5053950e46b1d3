# Policy parameters. They come only from data.contract (policies/src/data.json,
# or a bundle that overrides it); nothing here hard-codes a parameter value.
#
# The policy cannot decide safely without its parameters: if the host did not
# load the data (a Wasm host must set it explicitly) or a parameter has the
# wrong shape, every request is denied with INVALID_INPUT naming the parameter.
package contract

# The list parameters are compared case-insensitively: x, a lower-case string,
# is in a list when some string s of the list has lower(s) == x (items that are
# not strings are skipped).
#
# Each list is read once per decision, together with what the decision looks
# up in it (its probe), and summed up in a state:
#   "listed"  the list is plain and the probe is in it
#   "plain"   the list is plain and the probe is not in it (or there is none)
#   "other"   the list is not plain (or is missing or malformed): the rules
#             that need it search it the slow way
# A list is plain when it is an array of strings that all start with a
# lower-case ASCII letter, as the default data's do. min and max tell it in
# one pass each (values of another type compare below or above every string),
# and a plain list is an array of strings. lower maps character by character,
# so in a plain list only the strings that start with the first character of
# the probe can match, and only those are lower-cased: lower-casing every
# string of every list would cost more than the rest of the decision.

prohibited_platforms_state := list_state(data.contract.prohibited_platforms, probe, initial(probe)) if {
	probe := lower_or_null(object.get(deployment, "platform", null))
}

excluded_components_state := list_state(data.contract.excluded_components, probe, initial(probe)) if {
	probe := lower_or_null(object.get(input.subject, "component", null))
}

use_of_force_purposes_state := list_state(data.contract.use_of_force_purposes, purpose, initial(purpose))

surveillance_purposes_state := list_state(data.contract.surveillance_purposes, purpose, initial(purpose))

high_impact_purposes_state := list_state(data.contract.high_impact_purposes, purpose, initial(purpose))

list_state(list, probe, first) := plain_list_state(list, probe, first) if {
	plain_list(list)
} else := "other"

plain_list_state(list, probe, first) := "listed" if {
	some s in list
	startswith(s, first)
	lower(s) == probe
} else := "plain"

plain_list(list) if {
	is_array(list)
	min(list) >= "a"
	max(list) < "{"
}

# The first character of a probe; null for no probe (no string starts with it).
initial(probe) := substring(probe, 0, 1) if {
	is_string(probe)
} else := null

lower_or_null(value) := lower(value) if {
	is_string(value)
} else := null

# x is in a list, given the list's state for the probe x; the slow way when the
# list is not plain.
listed(state, x, list) if {
	state == "listed"
} else if {
	state == "other"
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

# Shape checks of the policy data: a quick check of the whole, and only when it
# fails, one violation per parameter.

violation contains params_violation if {
	not valid_params(true)
	some params_violation in params_violations
}

# The argument is only there to make this a function, which is evaluated where
# it is called instead of being memoized (cheaper for a check made once). A
# plain list is an array of strings; the state of a missing list is undefined.
valid_params(_) if {
	is_object(data.contract.deployments)
	well_formed_platforms(prohibited_platforms_state)
	well_formed_use_of_force_purposes(use_of_force_purposes_state)
	well_formed_surveillance_purposes(surveillance_purposes_state)
	well_formed_high_impact_purposes(high_impact_purposes_state)
	well_formed_components(excluded_components_state)
}

well_formed_platforms(state) if {
	state != "other"
} else if {
	string_list(data.contract.prohibited_platforms)
}

well_formed_use_of_force_purposes(state) if {
	state != "other"
} else if {
	string_list(data.contract.use_of_force_purposes)
}

well_formed_surveillance_purposes(state) if {
	state != "other"
} else if {
	string_list(data.contract.surveillance_purposes)
}

well_formed_high_impact_purposes(state) if {
	state != "other"
} else if {
	string_list(data.contract.high_impact_purposes)
}

well_formed_components(state) if {
	state != "other"
} else if {
	string_list(data.contract.excluded_components)
}

params_violations contains list_parameter_violation(name) if {
	some name in [
		"prohibited_platforms",
		"use_of_force_purposes",
		"surveillance_purposes",
		"high_impact_purposes",
		"excluded_components",
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

list_parameter_violation(name) := {
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

well_formed_parameter contains "deployments" if is_object(data.contract.deployments)

string_list(value) if {
	is_array(value)
	every item in value {
		is_string(item)
	}
}
