package address

// StateCode returns the USPS two-letter code of a US state, the District of
// Columbia, a territory (PR, GU, VI, AS, MP) or an Armed Forces "state"
// (AA, AE, AP), from its code, name or a traditional abbreviation:
// "California", "calif.", "CA" and "ca" all give "CA". Case, periods,
// spaces and accents are ignored. ok is false for anything else, including
// the freely associated states (FM, MH, PW), which breachscope treats as
// countries.
func StateCode(s string) (code string, ok bool) {
	code, ok = tables.states[matchKey(s)]
	return code, ok
}

// CountryCode returns the ISO 3166-1 alpha-2 code of a country from its
// alpha-2 code, alpha-3 code, English name or a common other name:
// "United States", "USA", "US" and "U.S.A." give "US"; "Deutschland",
// "Germany" and "DEU" give "DE"; "UK" and "England" give "GB". Case,
// periods, spaces and Latin accents are ignored. ok is false when the name
// is not in the table.
func CountryCode(s string) (code string, ok bool) {
	code, ok = tables.countries[matchKey(s)]
	return code, ok
}

// usTerritories are the territories that have an ISO country code of their
// own but take US domestic mail with a USPS state code.
var usTerritories = map[string]bool{"PR": true, "GU": true, "VI": true, "AS": true, "MP": true}

// militaryStates are the Armed Forces "states" of APO/FPO/DPO mail.
var militaryStates = map[string]bool{"AA": true, "AE": true, "AP": true}

// militaryCities are the only post office names military mail may carry
// (Pub 28 section 225).
var militaryCities = map[string]bool{"APO": true, "FPO": true, "DPO": true}
