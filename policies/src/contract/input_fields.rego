# The fields of the input document, one table per object, as the contract
# lists them. Each field has:
#   type        the JSON type its value must have (as type_name names it)
#   required    whether it must be present when its parent object is present
#   values      for an enumeration, the only values allowed (compared exactly)
#   nonblank    the string must not be empty or blank
#   identifier  the string must be an identifier (see identifier below)
# A field is checked only when its parent object is present and is an object.
#
# input_quick_check.rego states the same fields again, written out for speed;
# test/input_agreement_test.rego holds the two equal. When you add or change a
# field, change both.
package contract

input_fields := {
	"subject": {"type": "object", "required": true},
	"action": {"type": "object", "required": true},
	"resource": {"type": "object", "required": true},
	"context": {"type": "object", "required": false},
	"caller": {"type": "object", "required": false},
}

subject_fields := {
	"id": {"type": "string", "required": true, "nonblank": true},
	"org": {"type": "string", "required": true, "values": ["customer", "provider"]},
	"type": {"type": "string", "required": false, "values": ["human", "service"]},
	"component": {"type": "string", "required": false, "identifier": true},
	"clearance": {"type": "string", "required": false, "values": ["none", "confidential", "secret", "top_secret"]},
}

action_fields := {
	"type": {
		"type": "string", "required": true,
		"values": ["inference", "tool_call", "fine_tune", "deploy", "safety_config", "override_refusal"],
	},
	"tool": {"type": "string", "required": false},
}

resource_fields := {
	"model": {"type": "string", "required": false},
	"deployment": {"type": "object", "required": true},
}

deployment_fields := {
	"id": {"type": "string", "required": true, "nonblank": true},
	"target": {"type": "string", "required": true, "values": ["cloud_api", "edge"]},
	"platform": {"type": "string", "required": false, "identifier": true},
	"classification": {"type": "string", "required": false, "values": ["unclassified", "secret", "top_secret"]},
}

context_fields := {
	"purpose": {"type": "string", "required": false, "identifier": true},
	"model_refused": {"type": "boolean", "required": false},
	"use_of_force": {"type": "object", "required": false},
	"surveillance": {"type": "object", "required": false},
	"automated_decision": {"type": "object", "required": false},
}

use_of_force_fields := {
	"involved": {"type": "boolean", "required": true},
	"autonomy": {"type": "string", "required": true, "values": ["human_in_the_loop", "human_on_the_loop", "autonomous"]},
	"target_selected_by": {"type": "string", "required": true, "values": ["human", "machine"]},
	"authorizing_human": {"type": "string", "required": false},
}

surveillance_fields := {
	"us_persons": {"type": "string", "required": true, "values": ["yes", "no", "unknown"]},
	"location": {"type": "string", "required": true, "values": ["domestic", "foreign", "unknown"]},
	"scope": {"type": "string", "required": true, "values": ["targeted", "bulk"]},
	"data_source": {"type": "string", "required": false},
	"legal_authority": {"type": "string", "required": false},
}

automated_decision_fields := {
	"affects_individuals": {"type": "boolean", "required": true},
	"impact": {"type": "string", "required": true, "values": ["low", "high"]},
	"human_review": {"type": "boolean", "required": true},
}

# Set by the PDP from the identity it verified, never by the caller.
caller_fields := {
	"principal": {"type": "string", "required": true, "nonblank": true},
	"method": {"type": "string", "required": true, "values": ["mtls", "jwt"]},
}

# An identifier is a non-empty string of ASCII letters, digits, "-" and "_".
# The names looked up in the lists must be identifiers, so that no spelling (a
# trailing space, a zero-width or control character, a look-alike letter from
# another script) can slip past a list. trim strips every leading and trailing
# character of the set: only a string made of those characters alone is left
# empty. (regex.match would need a host builtin.)
identifier(value) if {
	value != ""
	trim(value, identifier_characters) == ""
}

identifier_characters := "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
