package address

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// knownProblems are every string Result.Problems may hold.
var knownProblems = map[string]bool{
	ProblemNoStreet: true, ProblemNoHouseNumber: true, ProblemNoStreetName: true,
	ProblemNoPOBoxNumber: true, ProblemNoRouteBox: true, ProblemNoCity: true,
	ProblemNoState: true, ProblemUnknownState: true, ProblemNoZIP: true,
	ProblemZIPLeadingZero: true, ProblemZIPLeadingZeros: true, ProblemZIP4LeadingZero: true,
	ProblemZIPShape: true, ProblemZIPZero: true, ProblemMilitaryCity: true,
	ProblemMilitaryState: true, ProblemNoCountry: true, ProblemUnknownCountry: true,
}

// FuzzStandardize checks, for any input: no panic; every output field is
// valid UTF-8 without lower-case letters or stray spaces; Usable agrees with
// Problems, which are known constants; and standardising the result again
// changes neither the address nor the problems.
func FuzzStandardize(f *testing.F) {
	for _, c := range standardizeCases {
		f.Add(c.in.Line1, c.in.Line2, c.in.City, c.in.State, c.in.PostalCode, c.in.Country, "US")
	}
	f.Add("12-ß-ɐ 1/ɐ/2 N.ɐ.W", "APT#4ﬁ", "ǅ", "", "1234-", "", "")
	f.Add("\xff123\x00 Main", "#", "\u0301", "n. y.", "12345-", "", "DE")
	f.Fuzz(func(t *testing.T, l1, l2, city, state, postal, country, def string) {
		in := Input{Line1: l1, Line2: l2, City: city, State: state, PostalCode: postal, Country: country}
		r := Standardize(in, def)
		a := r.Address
		for _, field := range []string{a.Line1, a.Line2, a.City, a.State, a.ZIP5, a.ZIP4, a.PostalCode, a.Country} {
			if !utf8.ValidString(field) || strings.Contains(field, "  ") || strings.TrimSpace(field) != field {
				t.Fatalf("bad field %q in %+v", field, a)
			}
			for _, c := range field {
				if unicode.IsLower(c) {
					t.Fatalf("lower-case %q in %q", c, field)
				}
			}
		}
		if r.Usable != (len(r.Problems) == 0) {
			t.Fatalf("usable %v with problems %q", r.Usable, r.Problems)
		}
		for _, p := range r.Problems {
			if !knownProblems[p] {
				t.Fatalf("unknown problem %q", p)
			}
		}
		checkZIPFields(t, r)
		again := Standardize(a.Input(), def)
		if again.Address != a || !reflect.DeepEqual(again.Problems, r.Problems) {
			t.Fatalf("not idempotent for %+v:\n first %+v %q\nsecond %+v %q", in, a, r.Problems, again.Address, again.Problems)
		}
	})
}

// BenchmarkStandardize runs over the table-test addresses, a mix of street,
// unit, PO box, military and foreign addresses.
func BenchmarkStandardize(b *testing.B) {
	ins := make([]Input, len(standardizeCases))
	for i, c := range standardizeCases {
		ins[i] = c.in
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Standardize(ins[i%len(ins)], "US")
	}
}

// TestIdempotentEdges holds inputs whose second standardisation once
// differed from the first: each rewrite (a directional or suffix
// abbreviated, a unit moved) must not change how the line parses again.
func TestIdempotentEdges(t *testing.T) {
	for _, in := range []Input{
		{Line1: "#", Line2: "123 Main St"},
		{Line1: "1 N Trlrs"},
		{Line1: "1 N Trailer"},
		{Line1: "1 A Trlrs N"},
		{Line1: "1 A Trlrs North West"},
		{Line1: "5 X Apt North"},
		{Line1: "5 X Apt North West"},
		{Line1: "1 Main St Rear", Line2: "#5"},
		{Line1: "1 Main St Apt", Line2: "#5"},
		{Line1: "1 Main St Apt", Line2: "4B"},
		{Line1: "1 Main St Apt 4", Line2: "Apartment 4"},
		{Line1: "1 Main St Suite", Line2: "c/o X"},
		{Line1: "0 X Apt 5 # Ste 6"},
		{Line1: "0", Line2: "0 0##0##0"},
		{Line1: "0 Main # Rear"},
		{Line1: "1 Main St Apt # Ste 4"},
		{Line1: "1 Main Apt # Ste 4"},
		{Line1: "0/\u026d\u07aa"},
		{Line1: "1-\u026d-2 A.\u0301B"},
	} {
		in.City, in.State, in.PostalCode = "X", "IL", "62701"
		r := Standardize(in, "US")
		again := Standardize(r.Address.Input(), "US")
		if again.Address != r.Address || !reflect.DeepEqual(again.Problems, r.Problems) {
			t.Errorf("%+v:\n first %+v %q\nsecond %+v %q", in, r.Address, r.Problems, again.Address, again.Problems)
		}
	}
}
