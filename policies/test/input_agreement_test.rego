# The fast paths of the policy and the readable rules they stand for must give
# the same answers; these tests hold them together.
#
# The quick check (valid_input, src/contract/input_quick_check.rego) and the
# field tables (src/contract/input_fields.rego, whose messages input_problem
# makes) describe the same input document twice: once written out for speed,
# once as data for the messages. Every field of every table, broken in every
# way its table entry forbids, must fail the quick check and be named by a
# message. A field added to a table but not to the quick check (or the
# reverse) fails here.
#
# The list states (src/contract/params_list_state.rego) must say a probe is
# listed exactly when in_list (src/contract/params.rego) does.
package contract_test

import data.contract

# A valid input in which every object of the tables is present and every
# optional field is set, so that each field can be broken in place.
complete_input := {
	"subject": {
		"id": "analyst-7", "org": "customer", "type": "human",
		"component": "army", "clearance": "secret",
	},
	"action": {"type": "tool_call", "tool": "search"},
	"resource": {
		"model": "model-1",
		"deployment": {
			"id": "govcloud-secret-east", "target": "cloud_api",
			"platform": "datacenter", "classification": "secret",
		},
	},
	"context": {
		"purpose": "general",
		"model_refused": false,
		"use_of_force": {
			"involved": false, "autonomy": "human_in_the_loop",
			"target_selected_by": "human", "authorizing_human": "col-smith",
		},
		"surveillance": {
			"us_persons": "no", "location": "foreign", "scope": "targeted",
			"data_source": "open_source", "legal_authority": "eo12333",
		},
		"automated_decision": {"affects_individuals": false, "impact": "low", "human_review": true},
	},
	"caller": {"principal": "spiffe://provider.example/model-serving", "method": "mtls"},
}

# Each table with the JSON pointer of the object it describes.
tables := [
	{"pointer": "", "fields": contract.input_fields},
	{"pointer": "/subject", "fields": contract.subject_fields},
	{"pointer": "/action", "fields": contract.action_fields},
	{"pointer": "/resource", "fields": contract.resource_fields},
	{"pointer": "/resource/deployment", "fields": contract.deployment_fields},
	{"pointer": "/context", "fields": contract.context_fields},
	{"pointer": "/context/use_of_force", "fields": contract.use_of_force_fields},
	{"pointer": "/context/surveillance", "fields": contract.surveillance_fields},
	{"pointer": "/context/automated_decision", "fields": contract.automated_decision_fields},
	{"pointer": "/caller", "fields": contract.caller_fields},
]

# A value of another JSON type than the one a field must have.
wrong_type_value := {"string": 7, "boolean": "true", "object": "an object"}

# Strings that are not identifiers, each a way to spell a listed name so that a
# list would miss it: a trailing or inner space, a zero-width space, a control
# character, a Cyrillic "а" and the Kelvin sign (which lower() maps to "k").
not_identifiers := {
	"empty": "",
	"trailing space": "targeting ",
	"inner space": "strike planning",
	"zero-width space": "nsa\u200b",
	"control character": "drone\u0007",
	"tab": "\tnsa",
	"cyrillic look-alike": "dr\u043ene",
	"kelvin sign": "\u212aill_chain",
	"dot": "weapon.system",
}

# Every way of breaking a field that its table entry forbids, as a JSON patch.
breakage contains {"field": path, "how": "missing", "patch": [{"op": "remove", "path": path}]} if {
	some table in tables
	some key, field in table.fields
	field.required
	path := concat("/", [table.pointer, key])
}

breakage contains {"field": path, "how": "null", "patch": [{"op": "replace", "path": path, "value": null}]} if {
	some table in tables
	some key, _ in table.fields
	path := concat("/", [table.pointer, key])
}

breakage contains {"field": path, "how": "wrong type", "patch": [{"op": "replace", "path": path, "value": value}]} if {
	some table in tables
	some key, field in table.fields
	path := concat("/", [table.pointer, key])
	value := wrong_type_value[field.type]
}

breakage contains {"field": path, "how": "unknown value", "patch": [{"op": "replace", "path": path, "value": "no_such_value"}]} if {
	some table in tables
	some key, field in table.fields
	field.values
	path := concat("/", [table.pointer, key])
}

breakage contains {"field": path, "how": "blank", "patch": [{"op": "replace", "path": path, "value": "  "}]} if {
	some table in tables
	some key, field in table.fields
	field.nonblank
	path := concat("/", [table.pointer, key])
}

breakage contains {"field": path, "how": how, "patch": [{"op": "replace", "path": path, "value": value}]} if {
	some table in tables
	some key, field in table.fields
	field.identifier
	path := concat("/", [table.pointer, key])
	some how, value in not_identifiers
}

test_identifiers_are_ascii_letters_digits_dashes_and_underscores if {
	every value in ["army", "NSA", "weapon_system", "strike-planning-2", "x"] {
		contract.identifier(value)
	}
	every value in [v | some v in not_identifiers] {
		not contract.identifier(value)
	}
}

test_the_complete_input_passes_the_quick_check_and_has_no_problem if {
	contract.valid_input(complete_input)
	count(contract.input_problem) == 0 with input as complete_input
}

test_every_table_field_is_broken_at_least_once if {
	# 5 top-level objects, 5+2+2+4 fields of subject, action, resource and
	# deployment, 5 context fields, 4+5+3 fields of the three blocks and 2 of
	# caller
	count({b.field | some b in breakage}) == 37
}

test_every_broken_field_fails_the_quick_check if {
	failing := {[b.field, b.how] |
		some b in breakage
		contract.valid_input(json.patch(complete_input, b.patch))
	}
	failing == set()
}

test_every_broken_field_is_named_by_a_message if {
	unnamed := {[b.field, b.how] |
		some b in breakage
		doc := json.patch(complete_input, b.patch)
		count(contract.input_problem) == 0 with input as doc
	}
	unnamed == set()
}

test_every_identifier_field_is_broken_in_every_way if {
	count({[b.field, b.how] | some b in breakage; b.how in object.keys(not_identifiers)}) == 3 * count(not_identifiers)
}

# Lists of every shape the state tells apart, and probes that are in them, in
# them in another case, only a prefix of an item, or absent.
shapes_of_lists := [
	["aircraft", "drone", "weapon_system"],
	["Aircraft", "DRONE"],
	["drone", "Drone"],
	["zeppelin", "drone", 7],
	["drone", null],
	[],
	"drone",
	{"drone": true},
]

probes := ["drone", "aircraft", "dr", "weapon_system", "zeppelin", "d", "nsa"]

test_the_list_state_says_listed_exactly_when_in_list_does if {
	disagreements := {[list, probe] |
		some list in shapes_of_lists
		some probe in probes
		listed_fast(list, probe) != listed_slow(list, probe)
	}
	disagreements == set()

	# and the lists do hold some of the probes
	count({[list, probe] | some list in shapes_of_lists; some probe in probes; listed_slow(list, probe)}) == 9
}

listed_fast(list, probe) if {
	contract.listed(contract.state_of_list(list, probe, contract.initial(probe)), probe, list)
} else := false

listed_slow(list, probe) if {
	contract.in_list(probe, list)
} else := false
