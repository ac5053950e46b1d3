# The three examples of the spec, checked as whole decision documents.
package contract_test

test_example_customer_logistics_inference_is_allowed_without_obligations if {
	decide({
		"subject": {"id": "analyst-7", "org": "customer", "clearance": "none"},
		"action": {"type": "inference"},
		"resource": {"deployment": {"id": "govcloud-east", "target": "cloud_api"}},
		"context": {"purpose": "logistics"},
	}) == {"allow": true, "violations": [], "obligations": []}
}

test_example_autonomous_machine_targeting_is_denied_with_two_red_line_violations if {
	decide({
		"subject": {"id": "fires-officer", "org": "customer", "component": "army", "clearance": "secret"},
		"action": {"type": "inference"},
		"resource": {"deployment": {"id": "govcloud-secret-east", "target": "cloud_api", "classification": "secret"}},
		"context": {
			"purpose": "targeting",
			"use_of_force": {
				"involved": true,
				"autonomy": "autonomous",
				"target_selected_by": "machine",
				"authorizing_human": "col-smith",
			},
		},
	}) == {
		"allow": false,
		"violations": [
			{
				"code": "AUTONOMOUS_WEAPONS",
				"clause": "red-line/autonomous-weapons",
				"message": "use of force is involved and autonomy is \"autonomous\"; a human must be in the loop",
			},
			{
				"code": "MACHINE_TARGET_SELECTION",
				"clause": "red-line/autonomous-weapons",
				"message": "use of force is involved and target_selected_by is \"machine\"; a human must select the targets",
			},
		],
		"obligations": [],
	}
}

test_example_targeted_foreign_signals_intelligence_is_allowed_with_minimization if {
	decide({
		"subject": {"id": "sigint-analyst", "org": "customer", "clearance": "none"},
		"action": {"type": "inference"},
		"resource": {"deployment": {"id": "govcloud-east", "target": "cloud_api"}},
		"context": {
			"purpose": "signals_intelligence",
			"surveillance": {"us_persons": "no", "location": "foreign", "scope": "targeted", "legal_authority": "eo12333"},
		},
	}) == {
		"allow": true,
		"violations": [],
		"obligations": [{
			"code": "US_PERSON_MINIMIZATION",
			"message": "incidental U.S.-person information must be minimized",
		}],
	}
}
