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

# The fields of the input document. Each names its parent object (a key of
# `container`), its key, its kind and whether it is required:
#   object | string | boolean  the JSON type the value must have
#   id                         a string that is not empty or blank
#   enum                       a string equal to one of `values`
# A field is checked only when its parent object is present and is an object.
fields := [
	{"parent": "input", "key": "subject", "kind": "object", "required": true},
	{"parent": "subject", "key": "id", "kind": "id", "required": true},
	{"parent": "subject", "key": "org", "kind": "enum", "required": true, "values": ["customer", "provider"]},
	{"parent": "subject", "key": "type", "kind": "enum", "required": false, "values": ["human", "service"]},
	{"parent": "subject", "key": "component", "kind": "string", "required": false},
	{
		"parent": "subject", "key": "clearance", "kind": "enum", "required": false,
		"values": ["none", "confidential", "secret", "top_secret"],
	},
	{"parent": "input", "key": "action", "kind": "object", "required": true},
	{
		"parent": "action", "key": "type", "kind": "enum", "required": true,
		"values": ["inference", "tool_call", "fine_tune", "deploy", "safety_config", "override_refusal"],
	},
	{"parent": "action", "key": "tool", "kind": "string", "required": false},
	{"parent": "input", "key": "resource", "kind": "object", "required": true},
	{"parent": "resource", "key": "model", "kind": "string", "required": false},
	{"parent": "resource", "key": "deployment", "kind": "object", "required": true},
	{"parent": "resource.deployment", "key": "id", "kind": "id", "required": true},
	{"parent": "resource.deployment", "key": "target", "kind": "enum", "required": true, "values": ["cloud_api", "edge"]},
	{"parent": "resource.deployment", "key": "platform", "kind": "string", "required": false},
	{
		"parent": "resource.deployment", "key": "classification", "kind": "enum", "required": false,
		"values": ["unclassified", "secret", "top_secret"],
	},
	{"parent": "input", "key": "context", "kind": "object", "required": false},
	{"parent": "context", "key": "purpose", "kind": "string", "required": false},
	{"parent": "context", "key": "model_refused", "kind": "boolean", "required": false},
	{"parent": "context", "key": "use_of_force", "kind": "object", "required": false},
	{"parent": "context", "key": "surveillance", "kind": "object", "required": false},
	{"parent": "context", "key": "automated_decision", "kind": "object", "required": false},
	{"parent": "context.use_of_force", "key": "involved", "kind": "boolean", "required": true},
	{
		"parent": "context.use_of_force", "key": "autonomy", "kind": "enum", "required": true,
		"values": ["human_in_the_loop", "human_on_the_loop", "autonomous"],
	},
	{
		"parent": "context.use_of_force", "key": "target_selected_by", "kind": "enum", "required": true,
		"values": ["human", "machine"],
	},
	{"parent": "context.use_of_force", "key": "authorizing_human", "kind": "string", "required": false},
	{"parent": "context.surveillance", "key": "us_persons", "kind": "enum", "required": true, "values": ["yes", "no", "unknown"]},
	{
		"parent": "context.surveillance", "key": "location", "kind": "enum", "required": true,
		"values": ["domestic", "foreign", "unknown"],
	},
	{"parent": "context.surveillance", "key": "scope", "kind": "enum", "required": true, "values": ["targeted", "bulk"]},
	{"parent": "context.surveillance", "key": "data_source", "kind": "string", "required": false},
	{"parent": "context.surveillance", "key": "legal_authority", "kind": "string", "required": false},
	{"parent": "context.automated_decision", "key": "affects_individuals", "kind": "boolean", "required": true},
	{"parent": "context.automated_decision", "key": "impact", "kind": "enum", "required": true, "values": ["low", "high"]},
	{"parent": "context.automated_decision", "key": "human_review", "kind": "boolean", "required": true},
]

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

violation contains {"code": "INVALID_INPUT", "clause": "input", "message": problem} if {
	some field in fields
	parent := container[field.parent]
	problem := field_problem(parent, field)
}

field_problem(parent, field) := concat("", [field_path(field), " is required and must be ", expectation(field)]) if {
	field.required
	not has_key(parent, field.key)
}

field_problem(parent, field) := concat("", [field_path(field), " must be ", expectation(field)]) if {
	has_key(parent, field.key)
	not valid_value(parent[field.key], field)
}

field_problem(parent, field) := concat("", [field_path(field), " must not be empty or blank"]) if {
	field.kind == "id"
	is_string(parent[field.key])
	trim_space(parent[field.key]) == ""
}

field_path(field) := field.key if field.parent == "input"

field_path(field) := concat(".", [field.parent, field.key]) if field.parent != "input"

expectation(field) := "an object" if field.kind == "object"

expectation(field) := "a string" if field.kind in {"string", "id"}

expectation(field) := "a boolean" if field.kind == "boolean"

expectation(field) := concat("", ["one of ", concat(", ", [quote(v) | some v in field.values])]) if field.kind == "enum"

valid_value(value, field) if {
	field.kind == "object"
	is_object(value)
}

valid_value(value, field) if {
	field.kind in {"string", "id"}
	is_string(value)
}

valid_value(value, field) if {
	field.kind == "boolean"
	is_boolean(value)
}

valid_value(value, field) if {
	field.kind == "enum"
	is_string(value)
	value in field.values
}

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
