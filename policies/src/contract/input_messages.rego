# The INVALID_INPUT messages, made from the field tables (input_fields.rego).
# Made only for an input that fails the quick check, and then only for the
# objects whose own quick check fails.
package contract

input_problem contains "input is required and must be an object" if {
	not input_is_object
}

input_problem contains message if {
	not valid_top_level(input)
	some message in field_problems(input, "", input_fields)
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

input_problem contains message if {
	not valid_caller(input.caller)
	some message in field_problems(input.caller, "caller.", caller_fields)
}

# A separate rule, so that an input that is not set at all (undefined) counts
# as "not an object" too.
input_is_object if is_object(input)

# The top-level objects have the right types (their fields aside).
valid_top_level(doc) if {
	is_object(doc.subject)
	is_object(doc.action)
	is_object(doc.resource)
	valid_optional_object(doc, "context")
	valid_optional_object(doc, "caller")
}

valid_optional_object(obj, key) if {
	not has_key(obj, key)
} else if {
	is_object(obj[key])
}

# The messages about the fields of obj (nothing unless obj is an object), whose
# path starts with prefix.
field_problems(obj, prefix, fields) := {message |
	is_object(obj)
	some key, field in fields
	message := field_problem(obj, concat("", [prefix, key]), key, field)
}

# A required field is missing; a field has the wrong type or a value outside
# its enumeration; a string is empty or blank, or not an identifier. At most
# one applies.
field_problem(obj, path, key, field) := concat("", [path, " is required and must be ", expectation(field)]) if {
	field.required
	not has_key(obj, key)
} else := concat("", [path, " must be ", expectation(field)]) if {
	value := obj[key]
	not fits(value, field)
} else := concat("", [path, " must not be empty or blank"]) if {
	field.nonblank
	trim_space(obj[key]) == ""
} else := concat("", [path, " must be an identifier: ASCII letters, digits, \"-\" and \"_\" only, not empty"]) if {
	field.identifier
	not identifier(obj[key])
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
