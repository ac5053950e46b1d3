# The entrypoint of the contract policy: contract/decision.
#
# Every clause module adds the facts it finds to two partial sets:
#   violation  - {"code", "clause", "message"}; any violation denies
#   obligation - {"code", "message"}; returned only when the request is allowed
# This module turns them into the result document of the spec. The obligations
# are looked at only when the request is allowed.
package contract

# METADATA
# title: The contract decision
# description: >-
#   The whole answer of the decision point. allow is true exactly when there is
#   no violation (deny overrides); violations lists every violation that
#   applies, sorted by code, then by message; obligations lists every
#   obligation that applies, sorted by code, and is empty when denied.
# entrypoint: true
decision := {"allow": true, "violations": [], "obligations": sorted_obligations} if {
	count(violation) == 0
} else := {"allow": false, "violations": sorted_violations, "obligations": []}

# Objects compare by their sorted keys first, so sorting the objects themselves
# would not order them by code. Sort [code, message, object] triples instead:
# arrays compare element by element.
sorted_violations := [entry[2] |
	some entry in sort([[v.code, v.message, v] | some v in violation])
]

sorted_obligations := [entry[2] |
	some entry in sort([[o.code, o.message, o] | some o in obligation])
]
