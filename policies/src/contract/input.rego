# Clause "input": the shape of the input document.
#
#   INVALID_INPUT         a required field is missing, or a field has the wrong
#                         type or a value outside its enumeration; one violation
#                         per field, naming the field path
#   INSUFFICIENT_CONTEXT  the purpose needs a context block that is absent; one
#                         violation per missing block
#
# Unknown extra fields are ignored. A field that is present with the value null
# has the wrong type. This module also holds the small helpers and derived
# values the other clause modules share.
package contract

# The fields of the input document, by the path of the object that holds them
# ("input" for the top level). Each field has:
#   type      the JSON type its value must have (as type_name names it)
#   required  whether it must be present when its parent object is present
#   values    for an enumeration, the only values allowed
#   nonblank  for an identifier, the string must not be empty or blank
# A field is checked only when its parent object is present and is an object.
fields := {
	"input": {
		"subject": {"type": "object", "required": true},
		"action": {"type": "object", "required": true},
		"resource": {"type": "object", "required": true},
		"context": {"type": "object", "required": false},
	},
	"subject": {
		"id": {"type": "string", "required": true, "nonblank": true},
		"org": {"type": "string", "required": true, "values": ["customer", "provider"]},
		"type": {"type": "string", "required": false, "values": ["human", "service"]},
		"component": {"type": "string", "required": false},
		"clearance": {"type": "string", "required": false, "values": ["none", "confidential", "secret", "top_secret"]},
	},
	"action": {
		"type": {
			"type": "string", "required": true,
			"values": ["inference", "tool_call", "fine_tune", "deploy", "safety_config", "override_refusal"],
		},
		"tool": {"type": "string", "required": false},
	},
	"resource": {
		"model": {"type": "string", "required": false},
		"deployment": {"type": "object", "required": true},
	},
	"resource.deployment": {
		"id": {"type": "string", "required": true, "nonblank": true},
		"target": {"type": "string", "required": true, "values": ["cloud_api", "edge"]},
		"platform": {"type": "string", "required": false},
		"classification": {"type": "string", "required": false, "values": ["unclassified", "secret", "top_secret"]},
	},
	"context": {
		"purpose": {"type": "string", "required": false},
		"model_refused": {"type": "boolean", "required": false},
		"use_of_force": {"type": "object", "required": false},
		"surveillance": {"type": "object", "required": false},
		"automated_decision": {"type": "object", "required": false},
	},
	"context.use_of_force": {
		"involved": {"type": "boolean", "required": true},
		"autonomy": {"type": "string", "required": true, "values": ["human_in_the_loop", "human_on_the_loop", "autonomous"]},
		"target_selected_by": {"type": "string", "required": true, "values": ["human", "machine"]},
		"authorizing_human": {"type": "string", "required": false},
	},
	"context.surveillance": {
		"us_persons": {"type": "string", "required": true, "values": ["yes", "no", "unknown"]},
		"location": {"type": "string", "required": true, "values": ["domestic", "foreign", "unknown"]},
		"scope": {"type": "string", "required": true, "values": ["targeted", "bulk"]},
		"data_source": {"type": "string", "required": false},
		"legal_authority": {"type": "string", "required": false},
	},
	"context.automated_decision": {
		"affects_individuals": {"type": "boolean", "required": true},
		"impact": {"type": "string", "required": true, "values": ["low", "high"]},
		"human_review": {"type": "boolean", "required": true},
	},
}

# The objects of the input document that are present and are objects, by path.
container["input"] := input if is_object(input)

container["subject"] := input.subject if is_object(input.subject)

container["action"] := input.action if is_object(input.action)

container["resource"] := input.resource if is_object(input.resource)

container["resource.deployment"] := input.resource.deployment if is_object(input.resource.deployment)

container["context"] := input.context if is_object(input.context)

container["context.use_of_force"] := input.context.use_of_force if is_object(input.context.use_of_force)

container["context.surveillance"] := input.context.surveillance if is_object(input.context.surveillance)

container["context.automated_decision"] := input.context.automated_decision if {
	is_object(input.context.automated_decision)
}

violation contains {
	"code": "INVALID_INPUT",
	"clause": "input",
	"message": "input is required and must be an object",
} if {
	not input_is_object
}

# A separate rule, so that an input that is not set at all (undefined) counts
# as "not an object" too.
input_is_object if is_object(input)

# A required field is missing.
violation contains {
	"code": "INVALID_INPUT",
	"clause": "input",
	"message": concat("", [field_path(path, key), " is required and must be ", expectation(field)]),
} if {
	some path, parent in container
	some key, field in fields[path]
	field.required
	not has_key(parent, key)
}

# A field has the wrong type or a value outside its enumeration.
violation contains {
	"code": "INVALID_INPUT",
	"clause": "input",
	"message": concat("", [field_path(path, key), " must be ", expectation(field)]),
} if {
	some path, parent in container
	some key, field in fields[path]
	value := parent[key]
	not fits(value, field)
}

# An identifier is empty or blank.
violation contains {
	"code": "INVALID_INPUT",
	"clause": "input",
	"message": concat("", [field_path(path, key), " must not be empty or blank"]),
} if {
	some path, parent in container
	some key, field in fields[path]
	field.nonblank
	trim_space(parent[key]) == ""
}

fits(value, field) if {
	type_name(value) == field.type
	not field.values
}

fits(value, field) if value in field.values

field_path("input", key) := key

field_path(path, key) := concat(".", [path, key]) if path != "input"

expectation(field) := "an object" if field.type == "object"

expectation(field) := "a boolean" if field.type == "boolean"

expectation(field) := "a string" if {
	field.type == "string"
	not field.values
}

expectation(field) := concat("", ["one of ", concat(", ", [quote(v) | some v in field.values])]) if field.values

# The purpose, lower-cased so that "Targeting" cannot slip past the purpose
# lists; "general" when absent. A purpose that is not a string is INVALID_INPUT
# and counts as "general" for the other rules.
default purpose := "general"

purpose := lower(input.context.purpose) if is_string(input.context.purpose)

required_block contains "use_of_force" if purpose in use_of_force_purpose_set

required_block contains "surveillance" if purpose in surveillance_purpose_set

required_block contains "automated_decision" if purpose in high_impact_purpose_set

violation contains {
	"code": "INSUFFICIENT_CONTEXT",
	"clause": "input",
	"message": concat("", ["purpose ", quote(purpose), " requires the context.", block, " block, which is absent"]),
} if {
	some block in required_block
	is_object(input.context)
	not has_key(input.context, block)
}

# Helpers shared by the clause modules.

# has_key holds when obj has the key, whatever its value (false and null too).
has_key(obj, key) if _ = obj[key]

quote(s) := concat("", ["\"", s, "\""])

# describe states the value of obj[key] for a message: the quoted string,
# true or false, "missing", or "of the wrong type".
describe(obj, key) := quote(obj[key]) if is_string(obj[key])

describe(obj, key) := "true" if obj[key] == true

describe(obj, key) := "false" if obj[key] == false

describe(obj, key) := "missing" if not has_key(obj, key)

describe(obj, key) := "of the wrong type" if {
	has_key(obj, key)
	not is_string(obj[key])
	not is_boolean(obj[key])
}

deployment_label := concat("", ["deployment ", quote(input.resource.deployment.id)]) if {
	is_string(input.resource.deployment.id)
}

default deployment_label := "the deployment"

subject_is_provider if input.subject.org == "provider"

default subject_org_phrase := "subject.org is missing"

subject_org_phrase := concat("", ["subject.org is ", describe(input.subject, "org")]) if is_object(input.subject)
