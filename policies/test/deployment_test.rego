# Clause deployment/cloud-only: EDGE_DEPLOYMENT and OPERATIONAL_HARDWARE.
package contract_test

test_cloud_api_deployment_on_a_datacenter_is_allowed if {
	allowed_with(base_input, [])
}

test_edge_target_is_denied if {
	denied_exactly(merged({"resource": {"deployment": {"target": "edge"}}}), [{
		"code": "EDGE_DEPLOYMENT",
		"clause": "deployment/cloud-only",
		"message": "deployment \"govcloud-east\" targets \"edge\"; the contract allows the provider's cloud API only",
	}])
}

test_edge_target_is_denied_for_the_provider_too if {
	denied_with(merged({"subject": {"org": "provider"}, "resource": {"deployment": {"target": "edge"}}}), ["EDGE_DEPLOYMENT"])
}

test_prohibited_platform_behind_the_cloud_api_is_denied if {
	denied_exactly(merged({"resource": {"deployment": {"platform": "drone"}}}), [{
		"code": "OPERATIONAL_HARDWARE",
		"clause": "deployment/cloud-only",
		"message": "deployment \"govcloud-east\" runs on platform \"drone\", which is operational hardware; the contract allows the provider's cloud API only",
	}])
}

test_every_default_prohibited_platform_is_denied if {
	every platform in data.contract.prohibited_platforms {
		denied_with(merged({"resource": {"deployment": {"platform": platform}}}), ["OPERATIONAL_HARDWARE"])
	}
}

test_prohibited_platform_is_matched_case_insensitively if {
	denied_with(merged({"resource": {"deployment": {"platform": "Weapon_System"}}}), ["OPERATIONAL_HARDWARE"])
}

test_edge_target_on_a_prohibited_platform_lists_both if {
	denied_with(merged({"resource": {"deployment": {"target": "edge", "platform": "aircraft"}}}), [
		"EDGE_DEPLOYMENT",
		"OPERATIONAL_HARDWARE",
	])
}

test_absent_platform_is_allowed if {
	allowed_with(without(base_input, "resource/deployment/platform"), [])
}

test_prohibited_platforms_come_from_the_data if {
	denied_with(base_input, ["OPERATIONAL_HARDWARE"]) with data.contract.prohibited_platforms as ["datacenter"]
	allowed_with(merged({"resource": {"deployment": {"platform": "drone"}}}), []) with data.contract.prohibited_platforms as []
}
