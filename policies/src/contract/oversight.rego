# Clauses oversight/cleared-personnel and access/classification.
#
# The deployment's classification is the higher of the one in the input and the
# one in data.contract.deployments[id], so a caller cannot lower it.
#
#   CLEARED_PERSONNEL_REQUIRED  the classification is secret or top_secret and
#                               data.contract.deployments[id].cleared_personnel
#                               is not true (a deployment missing from the data
#                               has no cleared personnel)
#   CLEARANCE_INSUFFICIENT      subject.clearance ranks below the classification
#                               (none < confidential < secret < top_secret;
#                               unclassified ranks with none)
#
# Classifications are handled by name ("unclassified" < "secret" <
# "top_secret"), not by number: in Wasm a number constant is parsed each time
# it is compared.
package contract

# The deployment's entry in the policy data, when it has one.
deployment_entry := data.contract.deployments[deployment.id] if is_string(deployment.id)

# The classification the input states: unclassified when absent. A value outside
# the enumeration is INVALID_INPUT and counts as top_secret (fail closed).
stated_classification(deployment) := classification if {
	classification := deployment.classification
	valid_classification(classification)
} else := "top_secret" if {
	has_key(deployment, "classification")
} else := "unclassified"

# The classification the policy data states: unclassified for a deployment the
# data does not list; top_secret for a listed deployment whose entry has no
# valid classification (fail closed on a broken entry).
listed_classification(entry) := classification if {
	classification := entry.classification
	valid_classification(classification)
} else := "top_secret"

data_classification(deployment) := listed_classification(data.contract.deployments[deployment.id]) if {
	is_string(deployment.id)
} else := "unclassified"

# The higher of the two.
effective_classification := higher_classification(stated_classification(deployment), data_classification(deployment))

higher_classification(a, b) := "top_secret" if {
	a == "top_secret"
} else := "top_secret" if {
	b == "top_secret"
} else := "secret" if {
	a == "secret"
} else := "secret" if {
	b == "secret"
} else := "unclassified"

deployment_has_cleared_personnel if deployment_entry.cleared_personnel == true

# The subject's clearance: "none" when absent.
default subject_clearance := "none"

subject_clearance := input.subject.clearance

# The subject's clearance covers a classification. A clearance that is absent,
# "none" or "confidential", or outside the enumeration (INVALID_INPUT, counted
# as "none": fail closed) covers neither secret nor top_secret.
clearance_covers(clearance, "secret") if {
	clearance == "secret"
} else if {
	clearance == "top_secret"
}

clearance_covers("top_secret", "top_secret")

default subject_clearance_phrase := "subject clearance \"none\""

subject_clearance_phrase := concat("", ["subject clearance ", quote(input.subject.clearance)]) if {
	valid_clearance(input.subject.clearance)
} else := "subject clearance (invalid, counted as \"none\")" if {
	has_key(input.subject, "clearance")
}

violation contains {
	"code": "CLEARED_PERSONNEL_REQUIRED",
	"clause": "oversight/cleared-personnel",
	"message": concat("", [
		deployment_label, " is classified ", quote(effective_classification),
		" and has no cleared provider personnel assigned",
	]),
} if {
	effective_classification != "unclassified"
	not deployment_has_cleared_personnel
}

# Every clearance ranks at least as high as unclassified, so the subject's
# clearance is looked at only for a classified deployment.
violation contains {
	"code": "CLEARANCE_INSUFFICIENT",
	"clause": "access/classification",
	"message": concat("", [
		subject_clearance_phrase, " ranks below the ", quote(effective_classification),
		" classification of ", deployment_label,
	]),
} if {
	effective_classification != "unclassified"
	not clearance_covers(subject_clearance, effective_classification)
}
