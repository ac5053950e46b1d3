# Clauses safety-stack/provider-identity, safety-stack/provider-control and
# safety-stack/refusal: the provider controls its safety stack and which models
# are deployed where, a task the model refused cannot be compelled, and the
# provider's rights go only to a caller verified as the provider.
#
#   PROVIDER_IDENTITY_UNVERIFIED      subject.org is "provider",
#                                     data.contract.provider_principals is a
#                                     non-empty list, and caller.principal is
#                                     absent or not in it
#   SAFETY_STACK_PROVIDER_CONTROLLED  action.type is deploy, safety_config or
#                                     override_refusal and subject.org is not
#                                     "provider"
#   REFUSAL_HONORED                   context.model_refused is true and
#                                     subject.org is not "provider"
#   obligation PROVIDER_OVERRIDE_AUDITED  the provider overrides a refusal
package contract

violation contains {
	"code": "PROVIDER_IDENTITY_UNVERIFIED",
	"clause": "safety-stack/provider-identity",
	"message": concat("", [
		"subject.org is \"provider\" but ", caller_phrase,
		", which is not one of the provider's principals in data.contract.provider_principals",
	]),
} if {
	input.subject.org == "provider"
	not provider_principals_unbound
	not caller_is_provider_principal
}

violation contains {
	"code": "SAFETY_STACK_PROVIDER_CONTROLLED",
	"clause": "safety-stack/provider-control",
	"message": concat("", [
		"action ", quote(input.action.type),
		" is reserved to the provider, which controls the safety stack; ", subject_org_phrase,
	]),
} if {
	provider_controlled_action(input.action.type)
	not input.subject.org == "provider"
}

violation contains {
	"code": "REFUSAL_HONORED",
	"clause": "safety-stack/refusal",
	"message": concat("", [
		"the model already refused this task and a refusal cannot be compelled; ",
		subject_org_phrase,
	]),
} if {
	input.context.model_refused == true
	not input.subject.org == "provider"
}

obligation contains {
	"code": "PROVIDER_OVERRIDE_AUDITED",
	"message": "the provider's override of a model refusal must be recorded in the audit trail",
} if {
	input.action.type == "override_refusal"
	input.subject.org == "provider"
}

# Whom the call comes from, for the message.
default caller_phrase := "the call carries no verified principal (caller.principal is absent)"

caller_phrase := concat("", ["the caller's verified principal is ", quote(input.caller.principal)]) if {
	is_string(input.caller.principal)
}

provider_controlled_action(type) if {
	type == "deploy"
} else if {
	type == "safety_config"
} else if {
	type == "override_refusal"
}
