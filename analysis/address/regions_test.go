package address

import "testing"

func TestStateCode(t *testing.T) {
	for in, want := range map[string]string{
		"California": "CA", "calif.": "CA", "CA": "CA", "ca": "CA", " Calif ": "CA",
		"New York": "NY", "N.Y.": "NY", "n y": "NY", "N. Dak.": "ND", "W. Va.": "WV",
		"Mass.": "MA", "Penna": "PA", "District of Columbia": "DC", "D.C.": "DC",
		"Puerto Rico": "PR", "Guam": "GU", "U.S. Virgin Islands": "VI", "American Samoa": "AS",
		"Northern Mariana Islands": "MP", "CNMI": "MP", "Armed Forces Europe": "AE",
		"AA": "AA", "ap": "AP", "Hawaiʻi": "HI", "Washington": "WA",
	} {
		if got, ok := StateCode(in); !ok || got != want {
			t.Errorf("StateCode(%q) = %q, %v; want %s", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "XX", "Ontario", "FM", "Marshall Islands", "Bavaria"} {
		if got, ok := StateCode(in); ok {
			t.Errorf("StateCode(%q) = %q, want no code", in, got)
		}
	}
	codes := map[string]bool{}
	for _, c := range tables.states {
		codes[c] = true
	}
	// 50 states, DC, 5 territories, 3 Armed Forces codes.
	if len(codes) != 59 {
		t.Errorf("%d state codes, want 59", len(codes))
	}
	for c := range codes {
		if got, ok := StateCode(c); !ok || got != c {
			t.Errorf("code %s does not map to itself", c)
		}
	}
}

func TestCountryCode(t *testing.T) {
	for in, want := range map[string]string{
		"United States": "US", "USA": "US", "US": "US", "U.S.A.": "US", "u.s.": "US",
		"United States of America": "US", "Deutschland": "DE", "Germany": "DE", "DEU": "DE",
		"deu": "DE", "Österreich": "AT", "Osterreich": "AT", "UK": "GB", "England": "GB",
		"Great Britain": "GB", "GBR": "GB", "Canada": "CA", "CAN": "CA", "México": "MX",
		"Mexico": "MX", "Australia": "AU", "India": "IN", "Japan": "JP", "日本": "JP",
		"China": "CN", "People's Republic of China": "CN", "Brazil": "BR", "Brasil": "BR",
		"Holland": "NL", "Czech Republic": "CZ", "Côte d'Ivoire": "CI", "Cote dIvoire": "CI",
		"España": "ES", "Sverige": "SE", "Suomi": "FI", "Éire": "IE", "Ελλάδα": "GR",
		"Schweiz": "CH", "Norge": "NO", "Ísland": "IS", "Korea": "KR", "Türkiye": "TR",
	} {
		if got, ok := CountryCode(in); !ok || got != want {
			t.Errorf("CountryCode(%q) = %q, %v; want %s", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "Atlantis", "XX", "Europe", "EU"} {
		if got, ok := CountryCode(in); ok {
			t.Errorf("CountryCode(%q) = %q, want no code", in, got)
		}
	}
	// Every EU and EEA member by alpha-2, alpha-3 and English name, and the
	// other countries the issue names.
	required := []struct{ a2, a3, name string }{
		{"AT", "AUT", "Austria"}, {"BE", "BEL", "Belgium"}, {"BG", "BGR", "Bulgaria"},
		{"HR", "HRV", "Croatia"}, {"CY", "CYP", "Cyprus"}, {"CZ", "CZE", "Czechia"},
		{"DK", "DNK", "Denmark"}, {"EE", "EST", "Estonia"}, {"FI", "FIN", "Finland"},
		{"FR", "FRA", "France"}, {"DE", "DEU", "Germany"}, {"GR", "GRC", "Greece"},
		{"HU", "HUN", "Hungary"}, {"IE", "IRL", "Ireland"}, {"IT", "ITA", "Italy"},
		{"LV", "LVA", "Latvia"}, {"LT", "LTU", "Lithuania"}, {"LU", "LUX", "Luxembourg"},
		{"MT", "MLT", "Malta"}, {"NL", "NLD", "Netherlands"}, {"PL", "POL", "Poland"},
		{"PT", "PRT", "Portugal"}, {"RO", "ROU", "Romania"}, {"SK", "SVK", "Slovakia"},
		{"SI", "SVN", "Slovenia"}, {"ES", "ESP", "Spain"}, {"SE", "SWE", "Sweden"},
		{"IS", "ISL", "Iceland"}, {"LI", "LIE", "Liechtenstein"}, {"NO", "NOR", "Norway"},
		{"GB", "GBR", "United Kingdom"}, {"CA", "CAN", "Canada"}, {"MX", "MEX", "Mexico"},
		{"AU", "AUS", "Australia"}, {"IN", "IND", "India"}, {"JP", "JPN", "Japan"},
		{"CN", "CHN", "China"}, {"BR", "BRA", "Brazil"}, {"US", "USA", "United States"},
		{"CH", "CHE", "Switzerland"},
	}
	for _, r := range required {
		for _, in := range []string{r.a2, r.a3, r.name} {
			if got, ok := CountryCode(in); !ok || got != r.a2 {
				t.Errorf("CountryCode(%q) = %q, %v; want %s", in, got, ok, r.a2)
			}
		}
	}
	rows, err := readTable("countries.csv", countriesCSV, -1)
	if err != nil {
		t.Fatal(err)
	}
	// 249 ISO 3166-1 entries and the user-assigned XK (Kosovo).
	if len(rows) != 250 {
		t.Errorf("%d countries, want 250", len(rows))
	}
	for _, r := range rows {
		for _, f := range r.fields {
			if got, _ := CountryCode(f); got != r.fields[0] {
				t.Errorf("line %d: %q -> %q, want %s", r.line, f, got, r.fields[0])
			}
		}
	}
}
