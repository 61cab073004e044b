package address

import (
	"reflect"
	"strings"
	"testing"
)

// stdCase is one row of TestStandardize. want is
// "LINE1|LINE2|CITY|STATE|POSTALCODE|COUNTRY" so a row fits on a line.
type stdCase struct {
	name     string
	in       Input
	def      string
	want     string
	problems []string
}

// us builds a US input with a usable last line, so a row only varies the
// part it is about.
func us(line1, line2 string) Input {
	return Input{Line1: line1, Line2: line2, City: "Springfield", State: "IL", PostalCode: "62701"}
}

const springfield = "|SPRINGFIELD|IL|62701|US"

var standardizeCases = []stdCase{
	// Street suffixes (Pub 28 Appendix C1), in the suffix position only.
	{name: "avenue", in: us("100 Park Avenue", ""), want: "100 PARK AVE|" + springfield},
	{name: "two suffix words", in: us("12 Court Street", ""), want: "12 COURT ST|" + springfield},
	{name: "suffix word not last", in: us("5 Avenue of the Americas", ""), want: "5 AVENUE OF THE AMERICAS|" + springfield},
	{name: "abbreviated with period", in: us("1600 Pennsylvania Ave. NW", ""), want: "1600 PENNSYLVANIA AVE NW|" + springfield},
	{name: "common misspelling", in: us("77 Sunset Strt", ""), want: "77 SUNSET ST|" + springfield},
	{name: "boulv", in: us("9 Elm Boulv", ""), want: "9 ELM BLVD|" + springfield},
	{name: "parkway", in: us("300 Ocean Parkway", ""), want: "300 OCEAN PKWY|" + springfield},
	{name: "meadows", in: us("45 Green Meadows", ""), want: "45 GREEN MDWS|" + springfield},
	{name: "meadow", in: us("45 Green Meadow", ""), want: "45 GREEN MDW|" + springfield},
	{name: "MDW stays the MEADOW abbreviation", in: us("45 Green MDW", ""), want: "45 GREEN MDW|" + springfield},
	{name: "crossing", in: us("2 Cedar Crossing", ""), want: "2 CEDAR XING|" + springfield},
	{name: "suffix word inside the name", in: us("8 Fort Washington Expressway", ""), want: "8 FORT WASHINGTON EXPY|" + springfield},
	{name: "suffix word is the whole name", in: us("10 Avenue", ""), want: "10 AVENUE|" + springfield},
	{name: "no suffix", in: us("10 Broadway", ""), want: "10 BROADWAY|" + springfield},
	{name: "view road", in: us("400 Mountain View Road", ""), want: "400 MOUNTAIN VIEW RD|" + springfield},
	{name: "place has no self row in C1", in: us("7 Elm Place", ""), want: "7 ELM PL|" + springfield},
	{name: "white space", in: us("  123   Main \t  St  ", ""), want: "123 MAIN ST|" + springfield},
	{name: "apostrophe", in: us("5 O'Neil Ct.", ""), want: "5 ONEIL CT|" + springfield},

	// Directionals (Pub 28 section 233).
	{name: "predirectional", in: us("123 North Main Street", ""), want: "123 N MAIN ST|" + springfield},
	{name: "directional is the street name", in: us("123 North Street", ""), want: "123 NORTH ST|" + springfield},
	{name: "postdirectional", in: us("500 Main Street Northwest", ""), want: "500 MAIN ST NW|" + springfield},
	{name: "two-word postdirectional", in: us("500 Main St North West", ""), want: "500 MAIN ST NW|" + springfield},
	{name: "two-word predirectional", in: us("100 North West Elm St", ""), want: "100 NW ELM ST|" + springfield},
	{name: "second directional is the name", in: us("100 North West Street", ""), want: "100 N WEST ST|" + springfield},
	{name: "grid address", in: us("842 East 1700 South", ""), want: "842 E 1700 S|" + springfield},
	{name: "directional before directional name", in: us("10 E North St", ""), want: "10 E NORTH ST|" + springfield},
	{name: "letter street", in: us("10 N St", ""), want: "10 N ST|" + springfield},
	{name: "compound directional is the name", in: us("1 Northeast Avenue", ""), want: "1 NORTHEAST AVE|" + springfield},
	{name: "numbered street", in: us("200 W. 42nd St.", ""), want: "200 W 42ND ST|" + springfield},
	{name: "park west", in: us("99 Central Park West", ""), want: "99 CENTRAL PARK W|" + springfield},
	{name: "fraction and initials", in: us("101 1/2 Main St. N.W.", ""), want: "101 1/2 MAIN ST NW|" + springfield},

	// Numbers (Pub 28 section 232, Appendix D).
	{name: "hyphenated number", in: us("289-01 Montgomery Avenue", ""), want: "289-01 MONTGOMERY AVE|" + springfield},
	{name: "grid period", in: us("1234 39.2 Road", ""), want: "1234 39.2 RD|" + springfield},
	{name: "alphanumeric number", in: us("N6W23001 Bluemound Road", ""), want: "N6W23001 BLUEMOUND RD|" + springfield},

	// Secondary units (Appendix C2), moved from line 1 to line 2.
	{name: "apartment", in: us("123 Main St Apt 4B", ""), want: "123 MAIN ST|APT 4B" + springfield},
	{name: "pound sign", in: us("123 Main St #4", ""), want: "123 MAIN ST|# 4" + springfield},
	{name: "designator and pound", in: us("123 Main St, Apt. #4", ""), want: "123 MAIN ST|APT 4" + springfield},
	{name: "suite", in: us("123 Main Street Suite 100", ""), want: "123 MAIN ST|STE 100" + springfield},
	{name: "glued", in: us("123 Main St Ste100", ""), want: "123 MAIN ST|STE 100" + springfield},
	{name: "unit letter", in: us("123 Main St Unit B", ""), want: "123 MAIN ST|UNIT B" + springfield},
	{name: "floor and room", in: us("123 Main St Floor 2 Room 210", ""), want: "123 MAIN ST|FL 2 RM 210" + springfield},
	{name: "designator without number", in: us("123 Main St Rear", ""), want: "123 MAIN ST|REAR" + springfield},
	{name: "penthouse", in: us("123 Main Street Penthouse", ""), want: "123 MAIN ST|PH" + springfield},
	{name: "private mailbox", in: us("123 Main St PMB 456", ""), want: "123 MAIN ST|PMB 456" + springfield},
	{name: "building and apartment", in: us("1 Main St Bldg 5 Apt 2", ""), want: "1 MAIN ST|BLDG 5 APT 2" + springfield},
	{name: "unit after postdirectional", in: us("9 Oak Ave South Apt 3", ""), want: "9 OAK AVE S|APT 3" + springfield},
	{name: "unit word as street name", in: us("100 Ocean Front", ""), want: "100 OCEAN FRONT|" + springfield},
	{name: "key street", in: us("12 Key St", ""), want: "12 KEY ST|" + springfield},
	{name: "pier", in: us("10 Pier 39", ""), want: "10 PIER 39|" + springfield},
	{name: "unit in both lines", in: us("123 Main St Apt 4B", "Apt 4B"), want: "123 MAIN ST|APT 4B" + springfield},
	{name: "unit before care-of", in: us("123 Main St Apt 4", "c/o Jane Doe"), want: "123 MAIN ST|APT 4 C/O JANE DOE" + springfield},
	{name: "line 2 apartment", in: us("10 Oak Avenue", "Apartment 12"), want: "10 OAK AVE|APT 12" + springfield},
	{name: "line 2 pound", in: us("10 Oak Avenue", "#12"), want: "10 OAK AVE|# 12" + springfield},
	{name: "only line 2", in: us("", "10 Oak Ave"), want: "10 OAK AVE|" + springfield},
	{name: "care-of above the street", in: us("c/o John Roe", "123 Main St"), want: "C/O JOHN ROE|123 MAIN ST" + springfield},
	{name: "trailing pound", in: us("123 Main Street #", ""), want: "123 MAIN ST|" + springfield},
	{name: "pound before designator", in: us("123 Main Street # Apt 4", ""), want: "123 MAIN ST|APT 4" + springfield},

	// PO boxes (Pub 28 section 28).
	{name: "P.O. Box", in: us("P.O. Box 123", ""), want: "PO BOX 123|" + springfield},
	{name: "Post Office Box", in: us("Post Office Box 123", ""), want: "PO BOX 123|" + springfield},
	{name: "POB", in: us("POB 123", ""), want: "PO BOX 123|" + springfield},
	{name: "PO Box pound", in: us("PO Box #123", ""), want: "PO BOX 123|" + springfield},
	{name: "P O Box", in: us("p o box 77", ""), want: "PO BOX 77|" + springfield},
	{name: "Box", in: us("Box 55", ""), want: "PO BOX 55|" + springfield},
	{name: "P.O.Box joined", in: us("P.O.Box 9", ""), want: "PO BOX 9|" + springfield},
	{name: "box number glued", in: us("POBox123", ""), want: "PO BOX 123|" + springfield},
	{name: "PO box without number", in: us("PO Box", ""), want: "PO BOX|" + springfield, problems: []string{ProblemNoPOBoxNumber}},
	{name: "box street", in: us("Box Canyon Rd", ""), want: "BOX CANYON RD|" + springfield, problems: []string{ProblemNoHouseNumber}},

	// Rural routes, highway contract routes, military, general delivery.
	{name: "rural route", in: us("Rural Route 02 Box 152", ""), want: "RR 2 BOX 152|" + springfield},
	{name: "RFD", in: us("RFD 3 Box 7", ""), want: "RR 3 BOX 7|" + springfield},
	{name: "route without box", in: us("RR 2", ""), want: "RR 2|" + springfield, problems: []string{ProblemNoRouteBox}},
	{name: "highway contract", in: us("Highway Contract 1 Box 10", ""), want: "HC 1 BOX 10|" + springfield},
	{name: "military PSC", in: Input{Line1: "PSC 1234 Box 5678", City: "APO", State: "AE", PostalCode: "09001"}, want: "PSC 1234 BOX 5678||APO|AE|09001|US"},
	{name: "military unit", in: Input{Line1: "Unit 2050 Box 4190", City: "FPO", State: "Armed Forces Pacific", PostalCode: "96350"}, want: "UNIT 2050 BOX 4190||FPO|AP|96350|US"},
	{name: "military state needs military city", in: Input{Line1: "PSC 1234 Box 5678", City: "Miami", State: "AE", PostalCode: "09001"}, want: "PSC 1234 BOX 5678||MIAMI|AE|09001|US", problems: []string{ProblemMilitaryCity}},
	{name: "military city needs military state", in: Input{Line1: "PSC 1234 Box 5678", City: "APO", State: "NY", PostalCode: "09001"}, want: "PSC 1234 BOX 5678||APO|NY|09001|US", problems: []string{ProblemMilitaryState}},
	{name: "general delivery", in: us("General Delivery", ""), want: "GENERAL DELIVERY|" + springfield},

	// ZIP Codes.
	{name: "ZIP+4 hyphen", in: Input{Line1: "1 Main St", City: "X", State: "IL", PostalCode: "62701-1234"}, want: "1 MAIN ST||X|IL|62701-1234|US"},
	{name: "ZIP+4 nine digits", in: Input{Line1: "1 Main St", City: "X", State: "IL", PostalCode: "627011234"}, want: "1 MAIN ST||X|IL|62701-1234|US"},
	{name: "ZIP+4 space", in: Input{Line1: "1 Main St", City: "X", State: "IL", PostalCode: " 62701 1234 "}, want: "1 MAIN ST||X|IL|62701-1234|US"},
	{name: "ZIP lost its zero", in: Input{Line1: "1 Main St", City: "Boston", State: "MA", PostalCode: "2134"}, want: "1 MAIN ST||BOSTON|MA|2134|US", problems: []string{ProblemZIPLeadingZero}},
	{name: "ZIP lost two zeros", in: Input{Line1: "1 Calle Luna", City: "San Juan", State: "PR", PostalCode: "901"}, want: "1 CALLE LUNA||SAN JUAN|PR|901|US", problems: []string{ProblemZIPLeadingZeros}},
	{name: "ZIP+4 lost its zero", in: Input{Line1: "1 Main St", City: "Boston", State: "MA", PostalCode: "21341234"}, want: "1 MAIN ST||BOSTON|MA|21341234|US", problems: []string{ProblemZIP4LeadingZero}},
	{name: "ZIP+4 lost its zero hyphen", in: Input{Line1: "1 Main St", City: "Boston", State: "MA", PostalCode: "2134-1234"}, want: "1 MAIN ST||BOSTON|MA|2134-1234|US", problems: []string{ProblemZIP4LeadingZero}},
	{name: "ZIP letters", in: Input{Line1: "1 Main St", City: "X", State: "IL", PostalCode: "abcde"}, want: "1 MAIN ST||X|IL|ABCDE|US", problems: []string{ProblemZIPShape}},
	{name: "ZIP six digits", in: Input{Line1: "1 Main St", City: "X", State: "IL", PostalCode: "123456"}, want: "1 MAIN ST||X|IL|123456|US", problems: []string{ProblemZIPShape}},
	{name: "ZIP zero", in: Input{Line1: "1 Main St", City: "X", State: "IL", PostalCode: "00000"}, want: "1 MAIN ST||X|IL|00000|US", problems: []string{ProblemZIPZero}},
	{name: "no ZIP", in: Input{Line1: "1 Main St", City: "X", State: "IL"}, want: "1 MAIN ST||X|IL||US", problems: []string{ProblemNoZIP}},
	{name: "ZIP zero with add-on", in: Input{Line1: "1 Main St", City: "X", State: "IL", PostalCode: "00000-1"}, want: "1 MAIN ST||X|IL|00000-1|US", problems: []string{ProblemZIPZero}},
	{name: "broken add-on dropped", in: Input{Line1: "1 Main St", City: "X", State: "IL", PostalCode: "62701-12"}, want: "1 MAIN ST||X|IL|62701|US"},

	// States, territories and countries.
	{name: "state name", in: Input{Line1: "1 Main St", City: "Los Angeles", State: "California", PostalCode: "90001"}, want: "1 MAIN ST||LOS ANGELES|CA|90001|US"},
	{name: "state abbreviation", in: Input{Line1: "1 Main St", City: "Los Angeles", State: "calif.", PostalCode: "90001"}, want: "1 MAIN ST||LOS ANGELES|CA|90001|US"},
	{name: "two-word abbreviation", in: Input{Line1: "1 Main St", City: "Fargo", State: "N. Dak.", PostalCode: "58102"}, want: "1 MAIN ST||FARGO|ND|58102|US"},
	{name: "DC", in: Input{Line1: "1600 Pennsylvania Avenue Northwest", City: "Washington", State: "Washington, D.C.", PostalCode: "20500"}, want: "1600 PENNSYLVANIA AVE NW||WASHINGTON|DC|20500|US"},
	{name: "unknown state", in: Input{Line1: "1 Main St", City: "X", State: "XX", PostalCode: "62701", Country: "USA"}, want: "1 MAIN ST||X|XX|62701|US", problems: []string{ProblemUnknownState}},
	{name: "no state", in: Input{Line1: "1 Main St", City: "X", PostalCode: "62701", Country: "U.S.A."}, want: "1 MAIN ST||X||62701|US", problems: []string{ProblemNoState}},
	{name: "Puerto Rico as country", in: Input{Line1: "1 Calle Luna", City: "San Juan", PostalCode: "00901", Country: "Puerto Rico"}, want: "1 CALLE LUNA||SAN JUAN|PR|00901|US"},
	{name: "Guam as state", in: Input{Line1: "1 Marine Corps Drive", City: "Hagatna", State: "Guam", PostalCode: "96910"}, want: "1 MARINE CORPS DR||HAGATNA|GU|96910|US"},
	{name: "Germany", in: Input{Line1: "Hauptstr. 5", City: "München", PostalCode: "80331", Country: "Deutschland"}, want: "HAUPTSTR 5||MÜNCHEN||80331|DE"},
	{name: "UK keeps its words", in: Input{Line1: "10 Downing Street", City: "London", PostalCode: "sw1a 2aa", Country: "United Kingdom"}, want: "10 DOWNING STREET||LONDON||SW1A 2AA|GB"},
	{name: "Canada by code", in: Input{Line1: "80 Wellington St.", City: "Ottawa", State: "ON", PostalCode: "K1A 0A2", Country: "CA"}, want: "80 WELLINGTON ST||OTTAWA|ON|K1A 0A2|CA"},
	{name: "Japan in Japanese", in: Input{Line1: "1-1 Chiyoda", City: "Chiyoda-ku", PostalCode: "100-8111", Country: "日本"}, want: "1-1 CHIYODA||CHIYODA KU||100-8111|JP"},
	{name: "foreign line 2 only", in: Input{Line2: "Rue de Rivoli 99", City: "Paris", PostalCode: "75001", Country: "FRA"}, want: "RUE DE RIVOLI 99||PARIS||75001|FR"},
	{name: "foreign default", in: Input{Line1: "Hauptstr. 5", City: "Berlin", PostalCode: "10115"}, def: "Germany", want: "HAUPTSTR 5||BERLIN||10115|DE"},
	{name: "unknown country", in: Input{Line1: "1 Main St", City: "Poseidonis", Country: "Atlantis"}, want: "1 MAIN ST||POSEIDONIS|||ATLANTIS", problems: []string{ProblemUnknownCountry}},
	{name: "no country and no US state", in: Input{Line1: "1 High St", City: "Munich", State: "Bavaria", PostalCode: "80331"}, want: "1 HIGH ST||MUNICH|BAVARIA|80331|", problems: []string{ProblemNoCountry}},
	{name: "foreign without city", in: Input{Line1: "Hauptstr. 5", Country: "DE"}, want: "HAUPTSTR 5|||||DE", problems: []string{ProblemNoCity}},

	// Unusable US addresses.
	{name: "empty", in: Input{}, want: "|||||", problems: []string{ProblemNoStreet, ProblemNoCity, ProblemNoCountry}},
	{name: "no street", in: us("", ""), want: "|" + springfield, problems: []string{ProblemNoStreet}},
	{name: "no number", in: us("Main Street", ""), want: "MAIN STREET|" + springfield, problems: []string{ProblemNoHouseNumber}},
	{name: "number only", in: us("123", ""), want: "123|" + springfield, problems: []string{ProblemNoStreetName}},
	{name: "ordinal street without number", in: us("1st Ave", ""), want: "1ST AVE|" + springfield, problems: []string{ProblemNoHouseNumber}},
	{name: "unit only", in: us("Apt 4", ""), want: "APT 4|" + springfield, problems: []string{ProblemNoHouseNumber}},
	{name: "no city", in: Input{Line1: "1 Main St", State: "IL", PostalCode: "62701"}, want: "1 MAIN ST|||IL|62701|US", problems: []string{ProblemNoCity}},
	{name: "hyphenated city", in: Input{Line1: "1 Main St", City: "Wilkes-Barre", State: "PA", PostalCode: "18701"}, want: "1 MAIN ST||WILKES BARRE|PA|18701|US"},
	{name: "everything wrong", in: Input{Line1: "Main Street", City: "", State: "Ontario", PostalCode: "1234", Country: "US"}, want: "MAIN STREET|||ONTARIO|1234|US", problems: []string{ProblemNoHouseNumber, ProblemNoCity, ProblemUnknownState, ProblemZIPLeadingZero}},
}

func TestStandardize(t *testing.T) {
	for _, c := range standardizeCases {
		t.Run(c.name, func(t *testing.T) {
			def := c.def
			if def == "" {
				def = "US"
			}
			r := Standardize(c.in, def)
			a := r.Address
			got := strings.Join([]string{a.Line1, a.Line2, a.City, a.State, a.PostalCode, a.Country}, "|")
			if got != c.want {
				t.Errorf("address\n got %s\nwant %s", got, c.want)
			}
			if !reflect.DeepEqual(r.Problems, c.problems) {
				t.Errorf("problems: got %q, want %q", r.Problems, c.problems)
			}
			if r.Usable != (len(c.problems) == 0) {
				t.Errorf("usable = %v with problems %q", r.Usable, r.Problems)
			}
			checkZIPFields(t, r)
		})
	}
	if len(standardizeCases) < 60 {
		t.Fatalf("only %d cases", len(standardizeCases))
	}
}

// checkZIPFields asserts that ZIP5/ZIP4 and PostalCode agree.
func checkZIPFields(t *testing.T, r Result) {
	t.Helper()
	a := r.Address
	if a.ZIP5 == "" {
		if a.ZIP4 != "" {
			t.Errorf("ZIP4 %q without ZIP5", a.ZIP4)
		}
		return
	}
	want := a.ZIP5
	if a.ZIP4 != "" {
		want += "-" + a.ZIP4
	}
	if a.PostalCode != want || a.Country != "US" {
		t.Errorf("ZIP5 %q ZIP4 %q but postal code %q, country %q", a.ZIP5, a.ZIP4, a.PostalCode, a.Country)
	}
}

func TestWarnings(t *testing.T) {
	r := Standardize(Input{Line1: "1 Main St", City: "X", State: "IL", PostalCode: "62701-12"}, "US")
	want := []string{WarningCountryDefaulted, WarningZIP4Dropped}
	if !reflect.DeepEqual(r.Warnings, want) || !r.Usable || r.Address.ZIP5 != "62701" || r.Address.ZIP4 != "" {
		t.Fatalf("got %+v, want warnings %q and a usable ZIP5", r, want)
	}
	r = Standardize(Input{Line1: "1 Main St", City: "X", State: "IL", PostalCode: "62701", Country: "US"}, "US")
	if len(r.Warnings) != 0 {
		t.Fatalf("warnings %q for a complete address", r.Warnings)
	}
}

// TestDefaultCountry pins down when the default applies: a US default only
// with a US state code, so a foreign address missing its country is not
// mailed as domestic; an empty or unknown default never applies.
func TestDefaultCountry(t *testing.T) {
	cases := []struct {
		state, def, want string
	}{
		{"CA", "US", "US"},
		{"Texas", "usa", "US"},
		{"Bavaria", "US", ""},
		{"", "US", ""},
		{"Bavaria", "DE", "DE"},
		{"", "DE", "DE"},
		{"CA", "", ""},
		{"CA", "Atlantis", ""},
	}
	for _, c := range cases {
		r := Standardize(Input{Line1: "1 Main St", City: "X", State: c.state, PostalCode: "62701"}, c.def)
		if r.Address.Country != c.want {
			t.Errorf("state %q default %q: country %q, want %q", c.state, c.def, r.Address.Country, c.want)
		}
	}
}
