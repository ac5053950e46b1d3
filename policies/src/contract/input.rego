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
#
# The check runs on every decision, so it comes in two parts:
#   valid_input      a quick check that the whole input is valid, written out
#                    field by field (no table is built, nothing is iterated);
#                    it holds for every request that has no INVALID_INPUT
#   input_problem    the messages, from the tables of fields below; evaluated
#                    only when valid_input fails, and then only for the
#                    objects whose own quick check fails
# The two must agree: test/input_test.rego checks that every field of the
# tables, missing, null, of another type or blank, fails the quick check and
# gives a message.
package contract

violation contains {"code": "INVALID_INPUT", "clause": "input", "message": message} if {
	not valid_input(input)
	some message in input_problem
}

# The rule above does not see an input that is not set at all (undefined).
violation contains {"code": "INVALID_INPUT", "clause": "input", "message": "input is required and must be an object"} if {
	not input
}

# The tables of fields, one per object of the input document, by the path of
# the object that holds them. Each field has:
#   type      the JSON type its value must have (as type_name names it)
#   required  whether it must be present when its parent object is present
#   values    for an enumeration, the only values allowed
#   nonblank  for an identifier, the string must not be empty or blank
# A field is checked only when its parent object is present and is an object.
# A table is built only when its object fails the quick check.

input_fields := {
	"subject": {"type": "object", "required": true},
	"action": {"type": "object", "required": true},
	"resource": {"type": "object", "required": true},
	"context": {"type": "object", "required": false},
}

subject_fields := {
	"id": {"type": "string", "required": true, "nonblank": true},
	"org": {"type": "string", "required": true, "values": ["customer", "provider"]},
	"type": {"type": "string", "required": false, "values": ["human", "service"]},
	"component": {"type": "string", "required": false},
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
	"platform": {"type": "string", "required": false},
	"classification": {"type": "string", "required": false, "values": ["unclassified", "secret", "top_secret"]},
}

context_fields := {
	"purpose": {"type": "string", "required": false},
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

# The quick check. Each function holds when its object is an object (looking up
# a required field of anything else is undefined; context, which has no
# required field, is checked with is_object) whose fields are all valid. An
# optional field is read once with object.get, whose default is a valid value.

valid_input(doc) if {
	valid_subject(doc.subject)
	valid_action(doc.action)
	valid_resource(doc.resource)
	valid_optional_context(doc)
}

valid_subject(subject) if {
	nonblank_string(subject.id)
	valid_org(subject.org)
	valid_subject_type(object.get(subject, "type", "human"))
	is_string(object.get(subject, "component", ""))
	valid_clearance(object.get(subject, "clearance", "none"))
}

valid_action(action) if {
	valid_action_type(action.type)
	is_string(object.get(action, "tool", ""))
}

valid_resource(resource) if {
	valid_deployment(resource.deployment)
	is_string(object.get(resource, "model", ""))
}

valid_deployment(deployment) if {
	nonblank_string(deployment.id)
	valid_target(deployment.target)
	is_string(object.get(deployment, "platform", ""))
	valid_classification(object.get(deployment, "classification", "unclassified"))
}

valid_optional_context(doc) if {
	not has_key(doc, "context")
} else if {
	valid_context(doc.context)
}

valid_context(context) if {
	is_object(context)
	is_string(object.get(context, "purpose", ""))
	is_boolean(object.get(context, "model_refused", false))
	valid_optional_use_of_force(context)
	valid_optional_surveillance(context)
	valid_optional_automated_decision(context)
}

# A context block is usually absent: that is looked at first.

valid_optional_use_of_force(context) if {
	not has_key(context, "use_of_force")
} else if {
	valid_use_of_force(context.use_of_force)
}

valid_use_of_force(block) if {
	is_boolean(block.involved)
	valid_autonomy(block.autonomy)
	valid_target_selector(block.target_selected_by)
	is_string(object.get(block, "authorizing_human", ""))
}

valid_optional_surveillance(context) if {
	not has_key(context, "surveillance")
} else if {
	valid_surveillance(context.surveillance)
}

valid_surveillance(block) if {
	valid_us_persons(block.us_persons)
	valid_location(block.location)
	valid_scope(block.scope)
	is_string(object.get(block, "data_source", ""))
	is_string(object.get(block, "legal_authority", ""))
}

valid_optional_automated_decision(context) if {
	not has_key(context, "automated_decision")
} else if {
	valid_automated_decision(context.automated_decision)
}

valid_automated_decision(block) if {
	is_boolean(block.affects_individuals)
	valid_impact(block.impact)
	is_boolean(block.human_review)
}

nonblank_string(value) if trim_space(value) != ""

# The enumerations of the quick check, as in the tables.

valid_org(value) if {
	value == "customer"
} else if {
	value == "provider"
}

valid_subject_type(value) if {
	value == "human"
} else if {
	value == "service"
}

valid_clearance(value) if {
	value == "none"
} else if {
	value == "secret"
} else if {
	value == "top_secret"
} else if {
	value == "confidential"
}

valid_action_type(value) if {
	value == "inference"
} else if {
	value == "tool_call"
} else if {
	value == "fine_tune"
} else if {
	value == "deploy"
} else if {
	value == "safety_config"
} else if {
	value == "override_refusal"
}

valid_target(value) if {
	value == "cloud_api"
} else if {
	value == "edge"
}

valid_classification(value) if {
	value == "unclassified"
} else if {
	value == "secret"
} else if {
	value == "top_secret"
}

valid_autonomy(value) if {
	value == "human_in_the_loop"
} else if {
	value == "human_on_the_loop"
} else if {
	value == "autonomous"
}

valid_target_selector(value) if {
	value == "human"
} else if {
	value == "machine"
}

valid_us_persons(value) if {
	value == "no"
} else if {
	value == "yes"
} else if {
	value == "unknown"
}

valid_location(value) if {
	value == "foreign"
} else if {
	value == "domestic"
} else if {
	value == "unknown"
}

valid_scope(value) if {
	value == "targeted"
} else if {
	value == "bulk"
}

valid_impact(value) if {
	value == "high"
} else if {
	value == "low"
}

# The messages, for an input that fails the quick check.

input_problem contains "input is required and must be an object" if {
	not input_is_object
}

# A separate rule, so that an input that is not set at all (undefined) counts
# as "not an object" too.
input_is_object if is_object(input)

input_problem contains message if {
	not valid_top_level(input)
	some message in field_problems(input, "", input_fields)
}

valid_top_level(doc) if {
	is_object(doc.subject)
	is_object(doc.action)
	is_object(doc.resource)
	valid_optional_object(doc, "context")
}

valid_optional_object(obj, key) if {
	not has_key(obj, key)
} else if {
	is_object(obj[key])
}

input_problem contains message if {
	not valid_subject(input.subject)
	some message in field_problems(input.subject, "subject.", subject_fields)
}

input_problem contains message if {
	not valid_action(input.action)
	some message in field_problems(input.action, "action.", action_fields)
}

input_problem contains message if {
	not valid_resource(input.resource)
	some message in field_problems(input.resource, "resource.", resource_fields)
}

input_problem contains message if {
	not valid_deployment(input.resource.deployment)
	some message in field_problems(input.resource.deployment, "resource.deployment.", deployment_fields)
}

input_problem contains message if {
	not valid_context(input.context)
	some message in field_problems(input.context, "context.", context_fields)
}

input_problem contains message if {
	not valid_use_of_force(input.context.use_of_force)
	some message in field_problems(input.context.use_of_force, "context.use_of_force.", use_of_force_fields)
}

input_problem contains message if {
	not valid_surveillance(input.context.surveillance)
	some message in field_problems(input.context.surveillance, "context.surveillance.", surveillance_fields)
}

input_problem contains message if {
	not valid_automated_decision(input.context.automated_decision)
	some message in field_problems(
		input.context.automated_decision, "context.automated_decision.",
		automated_decision_fields,
	)
}

# The messages about the fields of obj (nothing unless obj is an object), whose
# path starts with prefix.
field_problems(obj, prefix, fields) := {message |
	is_object(obj)
	some key, field in fields
	message := field_problem(obj, concat("", [prefix, key]), key, field)
}

# A required field is missing; a field has the wrong type or a value outside
# its enumeration; an identifier is empty or blank. At most one applies.
field_problem(obj, path, key, field) := concat("", [path, " is required and must be ", expectation(field)]) if {
	field.required
	not has_key(obj, key)
} else := concat("", [path, " must be ", expectation(field)]) if {
	value := obj[key]
	not fits(value, field)
} else := concat("", [path, " must not be empty or blank"]) if {
	field.nonblank
	trim_space(obj[key]) == ""
}

fits(value, field) if {
	value in field.values
} else if {
	not field.values
	type_name(value) == field.type
}

expectation(field) := concat("", ["one of ", concat(", ", [quote(v) | some v in field.values])]) if {
	field.values
} else := "an object" if {
	field.type == "object"
} else := "a boolean" if {
	field.type == "boolean"
} else := "a string"

# The deployment object of the input, which several rules read; looked up once
# per decision. null when absent (a rule reading a field of null, or of a value
# of the wrong type, finds nothing, as it would in the input).
default deployment := null

deployment := input.resource.deployment

# The purpose, lower-cased so that "Targeting" cannot slip past the purpose
# lists; "general" when absent. A purpose that is not a string is INVALID_INPUT
# and counts as "general" for the other rules.
default purpose := "general"

purpose := lower(input.context.purpose)

# One INSUFFICIENT_CONTEXT per block the purpose needs that is absent from a
# context object.

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

# Helpers shared by the clause modules.

# has_key holds when obj has the key, whatever its value (false and null too).
has_key(obj, key) if _ = obj[key]

quote(s) := concat("", ["\"", s, "\""])

# describe states the value of obj[key] for a message: the quoted string,
# true or false, "missing", or "of the wrong type".
describe(obj, key) := "missing" if {
	not has_key(obj, key)
} else := quote(value) if {
	value := obj[key]
	is_string(value)
} else := "true" if {
	obj[key] == true
} else := "false" if {
	obj[key] == false
} else := "of the wrong type"

deployment_label := concat("", ["deployment ", quote(deployment.id)]) if {
	is_string(deployment.id)
}

default deployment_label := "the deployment"

default subject_org_phrase := "subject.org is missing"

subject_org_phrase := concat("", ["subject.org is ", describe(input.subject, "org")]) if is_object(input.subject)
