# Clause deployment/cloud-only: the models are used only through the provider's
# cloud API, never on edge systems or operational hardware (aircraft, drones,
# weapons, sensors, ...).
#
#   EDGE_DEPLOYMENT       resource.deployment.target is "edge"
#   OPERATIONAL_HARDWARE  resource.deployment.platform is in
#                         data.contract.prohibited_platforms, whatever the target
#                         (compared case-insensitively)
package contract

violation contains {
	"code": "EDGE_DEPLOYMENT",
	"clause": "deployment/cloud-only",
	"message": concat("", [deployment_label, " targets \"edge\"; the contract allows the provider's cloud API only"]),
} if {
	deployment.target == "edge"
}

violation contains {
	"code": "OPERATIONAL_HARDWARE",
	"clause": "deployment/cloud-only",
	"message": concat("", [
		deployment_label, " runs on platform ", quote(platform),
		", which is operational hardware; the contract allows the provider's cloud API only",
	]),
} if {
	prohibited_platforms_state != "plain"
	platform := deployment.platform
	listed(prohibited_platforms_state, lower(platform), data.contract.prohibited_platforms)
}
