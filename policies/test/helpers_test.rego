# Shared fixtures and assertions of the contract tests (no tests in this file).
#
# base_input is a valid request that the default data allows without
# obligations: a customer analyst asks for inference on the unclassified cloud
# deployment govcloud-east for logistics. Each test varies it as little as it
# can, with merged (a deep merge), with_context (a new context) or without (a
# removed field), and checks the whole decision or the whole sorted code list.
package contract_test

import data.contract

base_input := {
	"subject": {"id": "analyst-7", "org": "customer", "type": "human", "clearance": "none"},
	"action": {"type": "inference"},
	"resource": {
		"model": "model-1",
		"deployment": {"id": "govcloud-east", "target": "cloud_api", "platform": "datacenter"},
	},
	"context": {"purpose": "logistics"},
}

# A valid use-of-force context: a human in the loop selects the targets and an
# accountable human authorizes.
force_context := {
	"purpose": "targeting",
	"use_of_force": {
		"involved": true,
		"autonomy": "human_in_the_loop",
		"target_selected_by": "human",
		"authorizing_human": "col-smith",
	},
}

# A valid surveillance context: targeted foreign collection, no U.S. persons.
surveillance_context := {
	"purpose": "signals_intelligence",
	"surveillance": {"us_persons": "no", "location": "foreign", "scope": "targeted", "legal_authority": "eo12333"},
}

# A valid high-impact automated decision that a human reviews.
automated_decision_context := {
	"purpose": "personnel_evaluation",
	"automated_decision": {"affects_individuals": true, "impact": "high", "human_review": true},
}

# base_input deep-merged with patch.
merged(patch) := object.union(base_input, patch)

# base_input with its context replaced by ctx.
with_context(ctx) := object.union(object.remove(base_input, ["context"]), {"context": ctx})

# doc with the field at path (e.g. "subject/id") removed.
without(doc, path) := json.remove(doc, [path])

# The context of force_context, surveillance_context or automated_decision_context
# with the fields of its block replaced by patch.
force_with(patch) := with_context(object.union(force_context, {"use_of_force": patch}))

surveillance_with(patch) := with_context(object.union(surveillance_context, {"surveillance": patch}))

automated_decision_with(patch) := with_context(object.union(automated_decision_context, {"automated_decision": patch}))

decide(doc) := d if {
	d := contract.decision with input as doc
}

violation_codes(doc) := [v.code | some v in decide(doc).violations]

obligation_codes(doc) := [o.code | some o in decide(doc).obligations]

# denied_with holds when doc is denied with exactly the codes given, in that
# order, and no obligation.
denied_with(doc, codes) if {
	d := decide(doc)
	d.allow == false
	[v.code | some v in d.violations] == codes
	d.obligations == []
}

# allowed_with holds when doc is allowed with no violation and exactly the
# obligation codes given, in that order.
allowed_with(doc, codes) if {
	d := decide(doc)
	d.allow == true
	d.violations == []
	[o.code | some o in d.obligations] == codes
}

# denied_exactly holds when doc is denied with exactly these violation objects.
denied_exactly(doc, violations) if {
	decide(doc) == {"allow": false, "violations": violations, "obligations": []}
}

# invalid_input holds when doc is denied with INVALID_INPUT alone, with exactly
# these messages, in that order.
invalid_input(doc, messages) if {
	denied_exactly(doc, [{"code": "INVALID_INPUT", "clause": "input", "message": m} | some m in messages])
}
