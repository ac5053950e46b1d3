# Clause "input": the input document must have the shape the contract fixes.
#
#   INVALID_INPUT         a required field is missing, or a field has the wrong
#                         type, a value outside its enumeration, or (for the
#                         three names looked up in the lists) is not an
#                         identifier; one violation per field, naming its path
#   INSUFFICIENT_CONTEXT  the purpose needs a context block that is absent
#                         (insufficient_context.rego)
#
# Unknown extra fields are ignored. A field that is present with the value null
# has the wrong type. The fields are listed in input_fields.rego and the
# messages are made in input_messages.rego. input_quick_check.rego is a faster
# copy of the tables that decides whether any message is needed at all.
package contract

violation contains {"code": "INVALID_INPUT", "clause": "input", "message": message} if {
	not valid_input(input)
	some message in input_problem
}

# The rule above does not see an input that is not set at all (undefined).
violation contains {
	"code": "INVALID_INPUT",
	"clause": "input",
	"message": "input is required and must be an object",
} if {
	not input
}

# The values of the input that several clauses read, looked up once per
# decision.

# The deployment object of the input. null when absent (a rule reading a field
# of null, or of a value of the wrong type, finds nothing, as it would in the
# input).
default deployment := null

deployment := input.resource.deployment

# The purpose, lower-cased: the lists are compared case-insensitively, so
# "Targeting" is a use-of-force purpose. "general" when absent. A purpose that
# is not a string is INVALID_INPUT and counts as "general" for the other
# rules; one that is not an identifier is INVALID_INPUT and is matched as it is.
default purpose := "general"

purpose := lower(input.context.purpose)

# has_key holds when obj has the key, whatever its value (false and null too).
has_key(obj, key) if _ = obj[key]
