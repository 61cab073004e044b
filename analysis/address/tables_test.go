package address

import "testing"

// TestSuffixTable checks every row of the embedded Pub 28 Appendix C1 table:
// it has three upper-case words, and its standard abbreviation is itself in
// the table and maps to itself, so abbreviating twice changes nothing.
func TestSuffixTable(t *testing.T) {
	rows, err := readTable("suffixes.csv", suffixesCSV, 3)
	if err != nil {
		t.Fatal(err)
	}
	primaries := map[string]bool{}
	for _, r := range rows {
		primary, variant, abbr := r.fields[0], r.fields[1], r.fields[2]
		for _, f := range r.fields {
			if !isUpperWord(f) {
				t.Errorf("line %d: %q is not an upper-case word", r.line, f)
			}
		}
		if tables.suffix[abbr] != abbr {
			t.Errorf("line %d: standard abbreviation %s maps to %q", r.line, abbr, tables.suffix[abbr])
		}
		if got := tables.suffix[primary]; got != abbr && tables.suffix[primary] != primary {
			t.Errorf("line %d: primary %s maps to %q, want %s", r.line, primary, got, abbr)
		}
		got := tables.suffix[variant]
		switch {
		case got == abbr:
		case variant == "MDW" && got == "MDW":
			// Listed under MEADOWS, but the standard abbreviation of MEADOW.
		default:
			t.Errorf("line %d: %s maps to %q, want %s", r.line, variant, got, abbr)
		}
		primaries[primary] = true
	}
	// The counts of the publication as transcribed; a change here means the
	// file was edited and must be compared with the source again.
	if len(rows) != 502 || len(primaries) != 206 {
		t.Errorf("%d rows, %d primary names; want 502 and 206", len(rows), len(primaries))
	}
	for word := range tables.suffix {
		if directional(word) != "" {
			t.Errorf("suffix spelling %s is also a directional", word)
		}
	}
}

// TestUnitTable checks the Appendix C2 designators: 24 rows from C2, each
// abbreviation maps to itself with the same range rule.
func TestUnitTable(t *testing.T) {
	rows, err := readTable("units.csv", unitsCSV, 4)
	if err != nil {
		t.Fatal(err)
	}
	c2 := 0
	for _, r := range rows {
		name, abbr, origin := r.fields[0], r.fields[1], r.fields[3]
		if origin == "c2" {
			c2++
		}
		d, ok := tables.units[abbr]
		if !ok || d.abbr != abbr || tables.units[name] != d {
			t.Errorf("line %d: %s/%s load as %+v and %+v", r.line, name, abbr, tables.units[name], d)
		}
	}
	if c2 != 24 {
		t.Errorf("%d Appendix C2 designators, want 24", c2)
	}
	for _, want := range []struct{ word, abbr string }{
		{"APARTMENT", "APT"}, {"SUITE", "STE"}, {"BUILDING", "BLDG"}, {"FLOOR", "FL"},
		{"UNIT", "UNIT"}, {"ROOM", "RM"}, {"PENTHOUSE", "PH"}, {"SPACE", "SPC"},
	} {
		if got := tables.units[want.word].abbr; got != want.abbr {
			t.Errorf("%s -> %q, want %s", want.word, got, want.abbr)
		}
	}
}

// TestLoadTablesRejectsBadRows makes sure a broken edit of a data file
// fails loudly instead of silently mapping a spelling twice.
func TestLoadTablesRejectsBadRows(t *testing.T) {
	bad := []struct {
		name string
		data string
	}{
		{"conflict", "h,h,h\nSTREET,STRT,ST\nSTRAVENUE,STRT,STRA\n"},
		{"lower case", "h,h,h\nstreet,st,st\n"},
	}
	for _, b := range bad {
		rows, err := readTable(b.name, []byte(b.data), 3)
		if err != nil {
			t.Fatal(err)
		}
		ts := &tableSet{suffix: map[string]string{}}
		if err := ts.loadSuffixes(rows); err == nil {
			t.Errorf("%s: no error", b.name)
		}
	}
	if _, err := readTable("empty", []byte("# only a comment\nh,h\n"), -1); err == nil {
		t.Error("a table without rows loads")
	}
}
