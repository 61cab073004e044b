// Package address standardises postal addresses from customer data and
// decides whether an address can carry a mailed notice, without any network
// service.
//
// US addresses follow USPS Publication 28 (Postal Addressing Standards):
// upper case, no punctuation but the hyphens, slashes and periods that are
// part of numbers, street suffixes abbreviated per Appendix C1 in the suffix
// position only, secondary unit designators per Appendix C2 (moved to line
// 2), directionals per section 233, PO boxes as PO BOX, rural and highway
// contract routes as RR and HC, and ZIP or ZIP+4 validated by shape. What
// cannot be decided without the USPS ZIP+4 file (whether a directional word
// is part of the street name, whether the ZIP belongs to the city) is left
// as the customer wrote it. Addresses outside the US are cleaned (upper case,
// white space) but not rewritten.
//
// Problems and warnings are fixed strings, never address content, so they
// can be counted and logged without exposing personal data.
package address

import "strings"

// Input is an address as found in customer data; any field may be empty.
type Input struct {
	Line1, Line2, City, State, PostalCode, Country string
}

// Standard is the standardised form of an address: USPS style for US
// addresses, cleaned text otherwise. Feeding it back through Standardize
// (see Standard.Input) gives the same Standard.
type Standard struct {
	// Line1 is the delivery address line: number, street, PO box, rural
	// route or military box. Line2 holds the secondary unit (APT 4B, # 4)
	// and whatever else the customer's second line held.
	Line1, Line2 string
	City         string
	// State is the USPS code for US addresses; elsewhere the region as
	// given, cleaned.
	State string
	// ZIP5 and ZIP4 are set only for a valid US ZIP Code.
	ZIP5, ZIP4 string
	// PostalCode is the code as it should be printed: ZIP5 or ZIP5-ZIP4
	// for a valid US ZIP, otherwise the input upper-cased and trimmed
	// (never repaired).
	PostalCode string
	// Country is the ISO 3166-1 alpha-2 code, or the input cleaned when it
	// names no known country. US territories are US here, with their code
	// in State.
	Country string
}

// Input returns s as an Input, to standardise it again.
func (s Standard) Input() Input {
	return Input{Line1: s.Line1, Line2: s.Line2, City: s.City, State: s.State, PostalCode: s.PostalCode, Country: s.Country}
}

// Result says whether an address can carry a mailed notice, and why not.
type Result struct {
	Address Standard
	// Usable is true when a notice mailed to Address can be delivered as
	// far as can be told without the USPS files; it is exactly
	// len(Problems) == 0.
	Usable bool
	// Problems are the reasons the address is not usable, in a fixed
	// order, each one of the Problem constants.
	Problems []string
	// Warnings note changes or doubts that do not block mailing, each one
	// of the Warning constants.
	Warnings []string
}

// The reasons an address cannot carry a mailed notice. They never include
// address content.
const (
	ProblemNoStreet        = "no street line"
	ProblemNoHouseNumber   = "street line has no house number"
	ProblemNoStreetName    = "street line has a number but no street name"
	ProblemNoPOBoxNumber   = "PO box has no box number"
	ProblemNoRouteBox      = "rural or highway contract route has no box number"
	ProblemNoCity          = "no city"
	ProblemNoState         = "no state"
	ProblemUnknownState    = "unknown state"
	ProblemNoZIP           = "no ZIP"
	ProblemZIPLeadingZero  = "ZIP has 4 digits: leading zero lost?"
	ProblemZIPLeadingZeros = "ZIP has 3 digits: leading zeros lost?"
	ProblemZIP4LeadingZero = "ZIP+4 has 7 or 8 digits: leading zeros lost?"
	ProblemZIPShape        = "ZIP is not 5 or 9 digits"
	ProblemZIPZero         = "ZIP 00000 does not exist"
	ProblemMilitaryCity    = "military state AA, AE or AP needs city APO, FPO or DPO"
	ProblemMilitaryState   = "city APO, FPO or DPO needs state AA, AE or AP"
	ProblemNoCountry       = "no country"
	ProblemUnknownCountry  = "unknown country"
)

// Warnings: changes that do not block mailing but that a reviewer may want
// to count.
const (
	WarningZIP4Dropped      = "ZIP+4 add-on is not 4 digits: dropped"
	WarningCountryDefaulted = "no country given: default country assumed"
)

// Standardize standardises in and decides whether it can carry a mailed
// notice. defaultCountry (any name CountryCode knows, usually "US") fills an
// empty country; a US default is applied only when the state is a US state
// code, so a foreign address without a country is not mistaken for a US one.
// For US addresses a usable address has a delivery line (number and street,
// PO box, rural route with box, military box or general delivery), a city,
// a valid state code and a valid ZIP; elsewhere a street line, a city and a
// known country.
func Standardize(in Input, defaultCountry string) Result {
	var res Result
	std := &res.Address

	country := strings.Join(tokens(in.Country), " ")
	stateWords := strings.Join(tokens(in.State), " ")
	code, known := "", false
	if country != "" {
		code, known = CountryCode(country)
	} else if def, ok := CountryCode(defaultCountry); ok {
		_, usState := StateCode(stateWords)
		if def != "US" || usState {
			code, known = def, true
			res.Warnings = append(res.Warnings, WarningCountryDefaulted)
		}
	}
	if known && usTerritories[code] {
		// Puerto Rico and the other territories take domestic mail.
		if stateWords == "" {
			stateWords = code
		}
		code = "US"
	}
	std.Country = country // an unknown country is kept for review
	if known {
		std.Country = code
	}

	if known && code == "US" {
		res.Problems = standardizeUS(in, stateWords, &res)
	} else {
		res.Problems = standardizeOther(in, stateWords, std)
		switch {
		case known:
		case country == "":
			res.Problems = append(res.Problems, ProblemNoCountry)
		default:
			res.Problems = append(res.Problems, ProblemUnknownCountry)
		}
	}
	res.Usable = len(res.Problems) == 0
	return res
}

// standardizeUS fills res.Address for a US address and returns its
// problems.
func standardizeUS(in Input, stateWords string, res *Result) []string {
	std := &res.Address
	var problems []string

	w2 := tokens(in.Line2)
	l1 := parseUSLine(tokens(in.Line1))
	if l1.kind == lineEmpty {
		l1, w2 = parseUSLine(w2), nil
	}
	l2 := parseUSLine(w2)
	if len(l1.unit) > 0 {
		// The unit found at the end of line 1 moves to line 2, before
		// whatever line 2 held, unless line 2 already says the same. The
		// two are parsed as one line, as they will be when read back.
		if strings.Join(l2.words(), " ") == strings.Join(l1.unit, " ") {
			l2 = parseUSLine(l1.unit)
		} else {
			l2 = parseUSLine(append(append([]string(nil), l1.unit...), w2...))
		}
	}
	std.Line1 = strings.Join(l1.main, " ")
	std.Line2 = strings.Join(l2.words(), " ")

	switch {
	case l1.kind == lineEmpty:
		problems = append(problems, ProblemNoStreet)
	case l1.kind.delivers() || l2.kind.delivers():
	case l1.kind == linePOBoxNoBox || l2.kind == linePOBoxNoBox:
		problems = append(problems, ProblemNoPOBoxNumber)
	case l1.kind == lineRouteNoBox || l2.kind == lineRouteNoBox:
		problems = append(problems, ProblemNoRouteBox)
	case l1.kind == lineNumberOnly:
		problems = append(problems, ProblemNoStreetName)
	default:
		problems = append(problems, ProblemNoHouseNumber)
	}

	std.City = strings.Join(tokens(in.City), " ")
	if std.City == "" {
		problems = append(problems, ProblemNoCity)
	}

	state, ok := StateCode(stateWords)
	switch {
	case stateWords == "":
		problems = append(problems, ProblemNoState)
	case !ok:
		std.State = stateWords
		problems = append(problems, ProblemUnknownState)
	default:
		std.State = state
		if militaryStates[state] && !militaryCities[std.City] && std.City != "" {
			problems = append(problems, ProblemMilitaryCity)
		}
	}
	if militaryCities[std.City] && !militaryStates[std.State] && std.State != "" {
		problems = append(problems, ProblemMilitaryState)
	}

	z := parseZIP(in.PostalCode)
	std.ZIP5, std.ZIP4, std.PostalCode = z.zip5, z.zip4, z.printed
	if z.problem != "" {
		problems = append(problems, z.problem)
	}
	if z.warning != "" {
		res.Warnings = append(res.Warnings, z.warning)
	}
	return problems
}

// standardizeOther cleans an address outside the US (or of unknown
// country): Pub 28 does not apply, so words are only upper-cased and
// punctuation removed, and the postal code is kept as given.
func standardizeOther(in Input, stateWords string, std *Standard) []string {
	var problems []string
	std.Line1 = strings.Join(tokens(in.Line1), " ")
	std.Line2 = strings.Join(tokens(in.Line2), " ")
	if std.Line1 == "" {
		std.Line1, std.Line2 = std.Line2, ""
	}
	std.City = strings.Join(tokens(in.City), " ")
	std.State = stateWords
	std.PostalCode = upperText(in.PostalCode)
	if std.Line1 == "" {
		problems = append(problems, ProblemNoStreet)
	}
	if std.City == "" {
		problems = append(problems, ProblemNoCity)
	}
	return problems
}
