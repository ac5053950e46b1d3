# FAST PATH: the quick check of the input, a hand-unrolled copy of the field
# tables. Read input_fields.rego for the contract; this file only makes it fast.
#
# Why it exists: the check runs on every decision. Building the tables and
# walking them for every request cost several times the rest of the decision,
# so valid_input states the same fields written out one by one (no table is
# built, nothing is iterated). It holds exactly for the inputs that have no
# INVALID_INPUT; only when it fails are the tables walked for the messages
# (input_messages.rego). The figures are in bench/PERFORMANCE-WORK.md
# ("The contract policy, rewritten for the common case").
#
# What keeps it equal to the tables: test/input_agreement_test.rego breaks
# every field of every table in every way its entry forbids and requires this
# check to fail and a message to name the field. A field added to one and not
# the other fails that test.
#
# Each function holds when its object is an object (looking up a required field
# of anything else is undefined; context, which has no required field, is
# checked with is_object) whose fields are all valid. An optional field is read
# once with object.get, whose default is a valid value.
package contract

valid_input(doc) if {
	valid_subject(doc.subject)
	valid_action(doc.action)
	valid_resource(doc.resource)
	valid_optional_context(doc)
	valid_optional_caller(doc)
}

valid_subject(subject) if {
	nonblank_string(subject.id)
	valid_org(subject.org)
	valid_subject_type(object.get(subject, "type", "human"))
	identifier(object.get(subject, "component", "none"))
	valid_clearance(object.get(subject, "clearance", "none"))
}

valid_action(action) if {
	valid_action_type(action.type)
	is_string(object.get(action, "tool", ""))
}

valid_resource(resource) if {
	valid_deployment(resource.deployment)
	is_string(object.get(resource, "model", ""))
}

valid_deployment(deployment) if {
	nonblank_string(deployment.id)
	valid_target(deployment.target)
	identifier(object.get(deployment, "platform", "none"))
	valid_classification(object.get(deployment, "classification", "unclassified"))
}

valid_optional_context(doc) if {
	not has_key(doc, "context")
} else if {
	valid_context(doc.context)
}

valid_context(context) if {
	is_object(context)
	identifier(object.get(context, "purpose", "general"))
	is_boolean(object.get(context, "model_refused", false))
	valid_optional_use_of_force(context)
	valid_optional_surveillance(context)
	valid_optional_automated_decision(context)
}

# A context block is usually absent: that is looked at first.

valid_optional_use_of_force(context) if {
	not has_key(context, "use_of_force")
} else if {
	valid_use_of_force(context.use_of_force)
}

valid_use_of_force(block) if {
	is_boolean(block.involved)
	valid_autonomy(block.autonomy)
	valid_target_selector(block.target_selected_by)
	is_string(object.get(block, "authorizing_human", ""))
}

valid_optional_surveillance(context) if {
	not has_key(context, "surveillance")
} else if {
	valid_surveillance(context.surveillance)
}

valid_surveillance(block) if {
	valid_us_persons(block.us_persons)
	valid_location(block.location)
	valid_scope(block.scope)
	is_string(object.get(block, "data_source", ""))
	is_string(object.get(block, "legal_authority", ""))
}

valid_optional_automated_decision(context) if {
	not has_key(context, "automated_decision")
} else if {
	valid_automated_decision(context.automated_decision)
}

valid_automated_decision(block) if {
	is_boolean(block.affects_individuals)
	valid_impact(block.impact)
	is_boolean(block.human_review)
}

valid_optional_caller(doc) if {
	not has_key(doc, "caller")
} else if {
	valid_caller(doc.caller)
}

valid_caller(caller) if {
	nonblank_string(caller.principal)
	valid_method(caller.method)
}

nonblank_string(value) if trim_space(value) != ""

# The enumerations, as in the tables.

valid_org(value) if {
	value == "customer"
} else if {
	value == "provider"
}

valid_subject_type(value) if {
	value == "human"
} else if {
	value == "service"
}

valid_clearance(value) if {
	value == "none"
} else if {
	value == "secret"
} else if {
	value == "top_secret"
} else if {
	value == "confidential"
}

valid_action_type(value) if {
	value == "inference"
} else if {
	value == "tool_call"
} else if {
	value == "fine_tune"
} else if {
	value == "deploy"
} else if {
	value == "safety_config"
} else if {
	value == "override_refusal"
}

valid_target(value) if {
	value == "cloud_api"
} else if {
	value == "edge"
}

valid_classification(value) if {
	value == "unclassified"
} else if {
	value == "secret"
} else if {
	value == "top_secret"
}

valid_autonomy(value) if {
	value == "human_in_the_loop"
} else if {
	value == "human_on_the_loop"
} else if {
	value == "autonomous"
}

valid_target_selector(value) if {
	value == "human"
} else if {
	value == "machine"
}

valid_us_persons(value) if {
	value == "no"
} else if {
	value == "yes"
} else if {
	value == "unknown"
}

valid_location(value) if {
	value == "foreign"
} else if {
	value == "domestic"
} else if {
	value == "unknown"
}

valid_scope(value) if {
	value == "targeted"
} else if {
	value == "bulk"
}

valid_impact(value) if {
	value == "high"
} else if {
	value == "low"
}

valid_method(value) if {
	value == "mtls"
} else if {
	value == "jwt"
}
