# FAST PATH: how the list parameters are searched on every decision (the
# list-state trick). Read
# params.rego for what a list means (in_list); this file only makes it fast.
#
# Why it exists: lower-casing every string of every list on every decision
# cost more than the rest of the decision. Each list is read once per
# decision, together with what the decision looks up in it (its probe), and
# summed up in a state:
#   "listed"  the list is plain and the probe is in it
#   "plain"   the list is plain and the probe is not in it (or there is none)
#   "other"   the list is not plain (or is missing or malformed): the rules
#             that need it search it the slow way, with in_list
# A list is plain when it is an array of strings that all start with a
# lower-case ASCII letter, as the default data's do. min and max tell it in
# one pass each (values of another type compare below or above every string),
# and a plain list is an array of strings. lower maps character by character,
# so in a plain list only the strings that start with the first character of
# the probe can match, and only those are lower-cased. The figures are in
# bench/PERFORMANCE-WORK.md ("The contract policy, rewritten for the common
# case").
#
# What keeps it equal to in_list: test/input_agreement_test.rego compares
# listed with in_list for lists and probes of every shape, and the clause
# tests run with data in other shapes (upper-case lists, empty lists).
package contract

prohibited_platforms_state := state_of_list(data.contract.prohibited_platforms, probe, initial(probe)) if {
	probe := lower_or_null(object.get(deployment, "platform", null))
}

excluded_components_state := state_of_list(data.contract.excluded_components, probe, initial(probe)) if {
	probe := lower_or_null(object.get(input.subject, "component", null))
}

use_of_force_purposes_state := state_of_list(data.contract.use_of_force_purposes, purpose, initial(purpose))

surveillance_purposes_state := state_of_list(data.contract.surveillance_purposes, purpose, initial(purpose))

high_impact_purposes_state := state_of_list(data.contract.high_impact_purposes, purpose, initial(purpose))

state_of_list(list, probe, first) := state_of_plain_list(list, probe, first) if {
	plain_list(list)
} else := "other"

state_of_plain_list(list, probe, first) := "listed" if {
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

# x is in a list, given the list's state for the probe x: in_list when the list
# is not plain.
listed(state, x, list) if {
	state == "listed"
} else if {
	state == "other"
	in_list(x, list)
}

# The quick check of the policy data's shape, from the states already made: a
# plain list is an array of strings. Only when it fails are the parameters
# checked one by one (params.rego). It is a function of what it checks (each
# list with its state), which is evaluated where it is called instead of being
# memoized (cheaper for a check made once). A missing parameter, or the state
# of a missing list, is undefined, and so is then the call.
valid_params(deployments, principals, lists) if {
	is_object(deployments)
	well_formed_principals(principals)
	well_formed_list(lists[0])
	well_formed_list(lists[1])
	well_formed_list(lists[2])
	well_formed_list(lists[3])
	well_formed_list(lists[4])
}

well_formed_list([state, list]) if {
	state != "other"
} else if {
	string_list(list)
}

# The default, and the common case, is the empty list.
well_formed_principals(list) if {
	list == []
} else if {
	string_list(list)
}
