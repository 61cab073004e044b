package address

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
)

// The reference tables are data files kept next to the code so a reviewer
// can compare them line by line with their published sources (named in each
// file's header).
var (
	//go:embed suffixes.csv
	suffixesCSV []byte
	//go:embed units.csv
	unitsCSV []byte
	//go:embed states.csv
	statesCSV []byte
	//go:embed countries.csv
	countriesCSV []byte
)

// unitDesignator is one secondary unit designator of Pub 28 Appendix C2.
type unitDesignator struct {
	abbr   string
	ranged bool // requires a secondary range (unit number) after it
}

// tableSet holds every lookup the standardiser uses, built once from the
// embedded files.
type tableSet struct {
	suffix    map[string]string // any C1 spelling -> standard abbreviation
	units     map[string]unitDesignator
	states    map[string]string // matching key -> USPS code
	countries map[string]string // matching key -> ISO alpha-2
}

// tables is built at package load: the files are part of the binary, so a
// malformed row is a programming error caught by the package's own tests.
var tables = mustLoadTables()

func mustLoadTables() *tableSet {
	t, err := loadTables()
	if err != nil {
		panic("address: embedded table: " + err.Error())
	}
	return t
}

func loadTables() (*tableSet, error) {
	t := &tableSet{
		suffix:    map[string]string{},
		units:     map[string]unitDesignator{},
		states:    map[string]string{},
		countries: map[string]string{},
	}
	suffixRows, err := readTable("suffixes.csv", suffixesCSV, 3)
	if err != nil {
		return nil, err
	}
	if err := t.loadSuffixes(suffixRows); err != nil {
		return nil, err
	}
	unitRows, err := readTable("units.csv", unitsCSV, 4)
	if err != nil {
		return nil, err
	}
	if err := t.loadUnits(unitRows); err != nil {
		return nil, err
	}
	// A suffix spelling whose standard abbreviation is a unit designator
	// (TRLRS -> TRLR) is read as that designator too; otherwise
	// abbreviating the suffix could turn street words into a unit when the
	// address is standardised again.
	for spelling, abbr := range t.suffix {
		if d, ok := t.units[abbr]; ok {
			if _, known := t.units[spelling]; !known {
				t.units[spelling] = d
			}
		}
	}
	stateRows, err := readTable("states.csv", statesCSV, -1)
	if err != nil {
		return nil, err
	}
	for _, r := range stateRows {
		if err := addKeys(t.states, r, "states.csv"); err != nil {
			return nil, err
		}
	}
	countryRows, err := readTable("countries.csv", countriesCSV, -1)
	if err != nil {
		return nil, err
	}
	for _, r := range countryRows {
		if len(r.fields) < 3 || len(r.fields[1]) != 3 {
			return nil, fmt.Errorf("countries.csv line %d: want alpha-2, alpha-3 and a name", r.line)
		}
		if err := addKeys(t.countries, r, "countries.csv"); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// loadSuffixes maps every C1 spelling to its standard abbreviation. Pub 28
// lists the primary name among the common spellings for most rows but not
// all (PLACE is listed only as PL), and lists MDW under MEADOWS although MDW
// is the standard abbreviation of MEADOW; so primary names and standard
// abbreviations are added as spellings of themselves, and a standard
// abbreviation always maps to itself, which also keeps standardising an
// already standard address a no-op.
func (t *tableSet) loadSuffixes(rows []row) error {
	std := map[string]bool{}
	for _, r := range rows {
		for _, f := range r.fields {
			if !isUpperWord(f) {
				return fmt.Errorf("suffixes.csv line %d: %q is not an upper-case word", r.line, f)
			}
		}
		std[r.fields[2]] = true
	}
	for _, r := range rows {
		primary, variant, abbr := r.fields[0], r.fields[1], r.fields[2]
		for _, spelling := range []string{primary, variant} {
			if std[spelling] {
				continue // a standard abbreviation maps to itself, below
			}
			if prev, ok := t.suffix[spelling]; ok && prev != abbr {
				return fmt.Errorf("suffixes.csv line %d: %s maps to both %s and %s", r.line, spelling, prev, abbr)
			}
			t.suffix[spelling] = abbr
		}
	}
	for abbr := range std {
		t.suffix[abbr] = abbr
	}
	return nil
}

func (t *tableSet) loadUnits(rows []row) error {
	for _, r := range rows {
		name, abbr, rng := r.fields[0], r.fields[1], r.fields[2]
		if !isUpperWord(name) || !isUpperWord(abbr) || (rng != "yes" && rng != "no") {
			return fmt.Errorf("units.csv line %d: want DESIGNATOR,ABBR,yes|no,origin", r.line)
		}
		d := unitDesignator{abbr: abbr, ranged: rng == "yes"}
		for _, spelling := range []string{name, abbr} {
			if prev, ok := t.units[spelling]; ok && prev != d {
				return fmt.Errorf("units.csv line %d: %s is listed twice differently", r.line, spelling)
			}
			t.units[spelling] = d
		}
	}
	return nil
}

// addKeys maps the code (first field) and every name after it to the
// code; a second column holding an alpha-3 code is a name like any other.
func addKeys(m map[string]string, r row, file string) error {
	code := r.fields[0]
	if len(code) != 2 || !isUpperWord(code) {
		return fmt.Errorf("%s line %d: %q is not a two-letter code", file, r.line, code)
	}
	for _, name := range r.fields {
		k := matchKey(name)
		if k == "" {
			return fmt.Errorf("%s line %d: empty name", file, r.line)
		}
		if prev, ok := m[k]; ok && prev != code {
			return fmt.Errorf("%s line %d: %q means both %s and %s", file, r.line, name, prev, code)
		}
		m[k] = code
	}
	return nil
}

// row is one data line of an embedded table, with its line number for
// error messages.
type row struct {
	line   int
	fields []string
}

// readTable parses an embedded CSV with '#' comment lines and a header row,
// which it skips. fields is the exact number of fields per row, or -1 for
// "at least two".
func readTable(name string, data []byte, fields int) ([]row, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comment = '#'
	r.FieldsPerRecord = fields
	var rows []row
	header := true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if header {
			header = false
			continue
		}
		line, _ := r.FieldPos(0)
		if len(rec) < 2 {
			return nil, fmt.Errorf("%s line %d: too few fields", name, line)
		}
		rows = append(rows, row{line: line, fields: rec})
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: no rows", name)
	}
	return rows, nil
}
