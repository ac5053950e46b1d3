# Clause safety-stack/provider-identity: PROVIDER_IDENTITY_UNVERIFIED. The
# provider's claim (subject.org "provider") is bound to the caller the PDP
# verified (input.caller) once data.contract.provider_principals lists the
# provider's principals; with the default empty list it is taken as stated.
package contract_test

provider_principal := "spiffe://provider.example/model-serving"

provider_deploy := merged({"subject": {"org": "provider"}, "action": {"type": "deploy"}})

by_caller(doc, principal) := object.union(doc, {"caller": {"principal": principal, "method": "mtls"}})

test_provider_claim_is_taken_as_stated_when_no_principals_are_listed if {
	allowed_with(provider_deploy, [])
}

test_provider_claim_by_a_listed_principal_is_allowed if {
	allowed_with(by_caller(provider_deploy, provider_principal), []) with data.contract.provider_principals as [provider_principal]
}

test_provider_claim_by_another_principal_is_denied if {
	denied_exactly(by_caller(provider_deploy, "spiffe://customer.example/analyst"), [{
		"code": "PROVIDER_IDENTITY_UNVERIFIED",
		"clause": "safety-stack/provider-identity",
		"message": "subject.org is \"provider\" but the caller's verified principal is \"spiffe://customer.example/analyst\", which is not one of the provider's principals in data.contract.provider_principals",
	}]) with data.contract.provider_principals as [provider_principal]
}

test_provider_claim_without_a_verified_caller_is_denied if {
	denied_exactly(provider_deploy, [{
		"code": "PROVIDER_IDENTITY_UNVERIFIED",
		"clause": "safety-stack/provider-identity",
		"message": "subject.org is \"provider\" but the call carries no verified principal (caller.principal is absent), which is not one of the provider's principals in data.contract.provider_principals",
	}]) with data.contract.provider_principals as [provider_principal]
}

test_principals_are_compared_exactly if {
	denied_with(by_caller(provider_deploy, "SPIFFE://provider.example/model-serving"), ["PROVIDER_IDENTITY_UNVERIFIED"]) with data.contract.provider_principals as [provider_principal]
}

test_a_jwt_subject_can_be_a_provider_principal if {
	allowed_with(
		object.union(provider_deploy, {"caller": {"principal": "model-serving@provider", "method": "jwt"}}),
		[],
	) with data.contract.provider_principals as ["model-serving@provider"]
}

test_customer_needs_no_listed_principal if {
	allowed_with(base_input, []) with data.contract.provider_principals as [provider_principal]
	allowed_with(by_caller(base_input, "spiffe://customer.example/analyst"), []) with data.contract.provider_principals as [provider_principal]
}

test_unverified_provider_loses_the_provider_rights_too if {
	# the provider-only actions are not granted on an unverified claim: the
	# decision is denied, whatever else applies
	denied_with(
		object.union(merged({"subject": {"org": "provider"}, "action": {"type": "override_refusal"}}), {"context": {"model_refused": true}}),
		["PROVIDER_IDENTITY_UNVERIFIED"],
	) with data.contract.provider_principals as [provider_principal]
}

# The caller block is set by the PDP; one of the wrong shape is INVALID_INPUT.

test_caller_that_is_not_an_object_is_invalid if {
	invalid_input(object.union(base_input, {"caller": "spiffe://provider.example/model-serving"}), ["caller must be an object"])
}

test_caller_without_a_principal_is_invalid if {
	invalid_input(object.union(base_input, {"caller": {"method": "mtls"}}), ["caller.principal is required and must be a string"])
}

test_caller_with_an_unknown_method_is_invalid if {
	invalid_input(
		object.union(base_input, {"caller": {"principal": provider_principal, "method": "password"}}),
		["caller.method must be one of \"mtls\", \"jwt\""],
	)
}

test_caller_with_a_blank_principal_is_invalid if {
	invalid_input(by_caller(base_input, " "), ["caller.principal must not be empty or blank"])
}
