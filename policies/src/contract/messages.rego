# Phrases the clause messages share.
package contract

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

default deployment_label := "the deployment"

deployment_label := concat("", ["deployment ", quote(deployment.id)]) if {
	is_string(deployment.id)
}

default subject_org_phrase := "subject.org is missing"

subject_org_phrase := concat("", ["subject.org is ", describe(input.subject, "org")]) if is_object(input.subject)
