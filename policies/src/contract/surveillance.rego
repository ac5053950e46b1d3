# Clause red-line/mass-domestic-surveillance: no mass domestic surveillance and
# no intentional surveillance of U.S. persons, including through commercially
# acquired personal data.
#
# These rules apply only when context.surveillance is present.
#
#   DOMESTIC_SURVEILLANCE_US_PERSONS  us_persons is "yes"
#   MASS_DOMESTIC_SURVEILLANCE        scope is "bulk", and us_persons is
#                                     "unknown" or location is "domestic" or
#                                     "unknown"
#   COMMERCIAL_DATA_US_PERSONS        data_source is "commercially_acquired"
#                                     (case-insensitively) and us_persons is
#                                     not "no"
#   BULK_COLLECTION_NOT_PERMITTED     scope is "bulk", MASS_DOMESTIC_SURVEILLANCE
#                                     does not apply, and
#                                     data.contract.settings.foreign_bulk_permitted
#                                     is not true
#   obligation US_PERSON_MINIMIZATION  surveillance applies
package contract

# The rules of the block are evaluated only when it is present: one look at the
# input for each of the two sets, instead of one for each rule.

violation contains finding if {
	is_object(input.context.surveillance)
	some finding in surveillance_violation
}

obligation contains finding if {
	is_object(input.context.surveillance)
	some finding in surveillance_obligation
}

surveillance_block := input.context.surveillance

default mass_domestic_surveillance := false

mass_domestic_surveillance if {
	surveillance_block.scope == "bulk"
	mass_domestic(surveillance_block)
}

mass_domestic(block) if {
	block.us_persons == "unknown"
} else if {
	block.location == "domestic"
} else if {
	block.location == "unknown"
}

surveillance_violation contains {
	"code": "DOMESTIC_SURVEILLANCE_US_PERSONS",
	"clause": "red-line/mass-domestic-surveillance",
	"message": "surveillance with us_persons \"yes\"; intentional surveillance of U.S. persons is prohibited",
} if {
	surveillance_block.us_persons == "yes"
}

surveillance_violation contains {
	"code": "MASS_DOMESTIC_SURVEILLANCE",
	"clause": "red-line/mass-domestic-surveillance",
	"message": concat("", [
		"bulk collection with us_persons ", describe(surveillance_block, "us_persons"),
		" and location ", describe(surveillance_block, "location"),
		" is mass domestic surveillance, which is prohibited",
	]),
} if {
	mass_domestic_surveillance
}

surveillance_violation contains {
	"code": "COMMERCIAL_DATA_US_PERSONS",
	"clause": "red-line/mass-domestic-surveillance",
	"message": concat("", [
		"commercially acquired data with us_persons ", describe(surveillance_block, "us_persons"),
		"; surveillance of U.S. persons through commercially acquired data is prohibited",
	]),
} if {
	lower(surveillance_block.data_source) == "commercially_acquired"
	not surveillance_block.us_persons == "no"
}

surveillance_violation contains {
	"code": "BULK_COLLECTION_NOT_PERMITTED",
	"clause": "red-line/mass-domestic-surveillance",
	"message": concat("", [
		"bulk collection with location ", describe(surveillance_block, "location"),
		" is not permitted: data.contract.settings.foreign_bulk_permitted is not true",
	]),
} if {
	surveillance_block.scope == "bulk"
	not mass_domestic_surveillance
	not foreign_bulk_permitted
}

# Whenever the block is present.
surveillance_obligation contains {
	"code": "US_PERSON_MINIMIZATION",
	"message": "incidental U.S.-person information must be minimized",
}
