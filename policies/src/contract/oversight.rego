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
package contract

classification_rank := {"unclassified": 0, "secret": 2, "top_secret": 3}

clearance_rank := {"none": 0, "confidential": 1, "secret": 2, "top_secret": 3}

# The name of a classification rank (rank 1 is never a deployment's).
classification_name := ["unclassified", "confidential", "secret", "top_secret"]

# The deployment's entry in the policy data, when it has one.
deployment_entry := data.contract.deployments[input.resource.deployment.id] if {
	is_string(input.resource.deployment.id)
}

# The classification the input states: unclassified when absent. A value outside
# the enumeration is INVALID_INPUT and ranks as top_secret (fail closed).
input_classification_rank := classification_rank[input.resource.deployment.classification] if {
	is_string(input.resource.deployment.classification)
} else := 3 if {
	has_key(input.resource.deployment, "classification")
} else := 0

# The classification the policy data states: unclassified for a deployment the
# data does not list; top_secret for a listed deployment whose entry has no
# valid classification (fail closed on a broken entry).
data_classification_rank := classification_rank[deployment_entry.classification] if {
	is_string(deployment_entry.classification)
} else := 3 if {
	_ = deployment_entry
} else := 0

effective_classification_rank := max([input_classification_rank, data_classification_rank])

effective_classification := classification_name[effective_classification_rank]

deployment_has_cleared_personnel if deployment_entry.cleared_personnel == true

# The subject's clearance: "none" when absent. A value outside the enumeration
# is INVALID_INPUT and counts as "none" (fail closed).
subject_clearance_rank := clearance_rank[input.subject.clearance] if {
	is_string(input.subject.clearance)
} else := 0

subject_clearance_phrase := concat("", ["subject clearance ", quote(input.subject.clearance)]) if {
	is_string(input.subject.clearance)
	_ = clearance_rank[input.subject.clearance]
} else := "subject clearance (invalid, counted as \"none\")" if {
	has_key(input.subject, "clearance")
} else := "subject clearance \"none\""

violation contains {
	"code": "CLEARED_PERSONNEL_REQUIRED",
	"clause": "oversight/cleared-personnel",
	"message": concat("", [
		deployment_label, " is classified ", quote(effective_classification),
		" and has no cleared provider personnel assigned",
	]),
} if {
	effective_classification_rank >= 2
	not deployment_has_cleared_personnel
}

violation contains {
	"code": "CLEARANCE_INSUFFICIENT",
	"clause": "access/classification",
	"message": concat("", [
		subject_clearance_phrase, " ranks below the ", quote(effective_classification),
		" classification of ", deployment_label,
	]),
} if {
	subject_clearance_rank < effective_classification_rank
}
