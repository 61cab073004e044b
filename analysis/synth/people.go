package synth

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Planted people relations. Real customer tables hold the same person
// twice (a second account, an email typed in another case) and different
// people who look alike (same name at the same address, another date of
// birth); notices must merge the first and keep the second apart.
const (
	duplicateEvery = 41 // customer i is the person of customer i-1 again
	nearMissEvery  = 53 // customer i shares i-1's name and address, not the person
	deceasedEvery  = 97 // customer i is marked deceased
)

func isDuplicate(i int) bool { return i >= 10 && i%duplicateEvery == 0 }
func isNearMiss(i int) bool  { return i >= 10 && i%nearMissEvery == 0 && !isDuplicate(i) }
func isDeceased(i int) bool  { return i%deceasedEvery == 13 }

// abroadEvery plants a customer living outside the US; abroad maps each
// country used to the jurisdiction its people fall under.
const abroadEvery = 89

var abroad = map[string]string{"FR": "EU-GDPR", "DE": "EU-GDPR", "CA": "CA"}

// foreignAddresses are fictional addresses in each country's own form.
var foreignAddresses = []struct{ street, city, region, postal, country string }{
	{"12 Rue des Lilas", "Lyon", "", "69003", "FR"},
	{"Lindenweg 7", "Hamburg", "", "22303", "DE"},
	{"400 Maple Crescent", "Toronto", "ON", "M4C 1A1", "CA"},
}

func isAbroad(i int) bool { return i%abroadEvery == 17 }

// plantAbroad moves customer i abroad when it has an address.
func plantAbroad(i int, row []string, present uint8) {
	if !isAbroad(i) || present&elAddress == 0 {
		return
	}
	a := foreignAddresses[(i/abroadEvery)%len(foreignAddresses)]
	row[3], row[4], row[5], row[6], row[7], row[8] = a.street, "", a.city, a.region, a.postal, a.country
}

// jurisdictionOf is the jurisdiction a notice to this row's address falls
// under: US-<state>, the foreign one, or US when there is no address (the
// country column still says US).
func jurisdictionOf(row []string) string {
	if j, ok := abroad[row[8]]; ok {
		return j
	}
	if row[6] == "" {
		return "US"
	}
	return "US-" + row[6]
}

// Per-customer facts the people answer needs, as bits of model.facts.
// Whether a customer is deceased follows from its index (isDeceased).
const (
	factDuplicate uint8 = 1 << iota // the same person as customer i-1
	factNearMiss                    // planted near miss of customer i-1
	factMinor                       // under 18 on the reference date
)

// noJurisdiction is the jurisdiction of a customer with neither an
// address nor a country: a former customer, or a subscriber whose accounts
// have no billing address (the subscriber table has no country column).
// Their notices cannot say which law applies.
const noJurisdiction = ""

// jurisdictions lists every jurisdiction a customer can fall under, so a
// customer's is one byte (model.juris) instead of a string.
var jurisdictions = func() []string {
	out := []string{"US"}
	for _, s := range states {
		out = append(out, "US-"+s.code)
	}
	for _, a := range foreignAddresses {
		if j := abroad[a.country]; !slices.Contains(out, j) {
			out = append(out, j)
		}
	}
	return append(out, noJurisdiction)
}()

var jurisdictionIndex = func() map[string]uint8 {
	idx := make(map[string]uint8, len(jurisdictions))
	for i, j := range jurisdictions {
		idx[j] = uint8(i)
	}
	return idx
}()

// plantRelations rewrites row (customer i) as a duplicate or a near miss of
// prev (customer i-1) when i is planted and prev has the fields the
// relation needs, and returns the elements present afterwards.
func plantRelations(i int, row, prev []string, present, prevPresent uint8) (uint8, bool, bool) {
	need := elAddress | elEmail | elDOB
	if prevPresent&need != need {
		return present, false, false
	}
	switch {
	case isDuplicate(i):
		// The same person: name, address and date of birth, and the same
		// email in other letter case; another account and phone.
		copy(row[1:9], prev[1:9])
		row[9] = swapCase(prev[9])
		row[11] = prev[11]
		return present | need, true, false
	case isNearMiss(i):
		// Another person at the same address under the same name (a parent
		// and child, say): own email and date of birth.
		copy(row[1:9], prev[1:9])
		if row[11] == "" || row[11] == prev[11] {
			row[11] = "1970-07-15"
			if prev[11] == row[11] {
				row[11] = "1971-08-16"
			}
		}
		return present | elAddress | elDOB, false, true
	}
	return present, false, false
}

func swapCase(s string) string {
	b := []rune(s)
	for i, r := range b {
		switch {
		case r >= 'a' && r <= 'z':
			b[i] = r - 'a' + 'A'
		case r >= 'A' && r <= 'Z':
			b[i] = r - 'A' + 'a'
		}
	}
	return string(b)
}

// PeopleSummary is the known answer for notices (expected/people.json):
// the exposed customers grouped into people, and what their notices are.
type PeopleSummary struct {
	People        int `json:"people"`
	MergedPeople  int `json:"merged_people"`
	NearMissPairs int `json:"near_miss_pairs"`
	Mail          int `json:"mail"`
	EmailOnly     int `json:"email_only"`
	Substitute    int `json:"substitute"`
	Minors        int `json:"minors"`
	Deceased      int `json:"deceased"`
	// LetterVersions counts the distinct letters: audience (adult, minor,
	// deceased) x combination of exposed elements x jurisdiction group.
	LetterVersions int            `json:"letter_versions"`
	ByJurisdiction map[string]int `json:"by_jurisdiction"`
}

// peopleAnswer groups the exposed customers into people as the default
// merge rules must (planted duplicates share name, date of birth, address
// and email; nothing else does), and decides channels the way notices do:
// mail when a member has an address, else email, else substitute. A
// person's records are neighbours (a duplicate follows its original), so
// one pass in customer order sees each person whole, one at a time.
func (t *tally) peopleAnswer() *PeopleSummary {
	m := t.m
	type agg struct {
		records         int
		address, email  bool
		minor, deceased bool
		jurisdiction    string
		elements        uint8
	}
	type letter struct {
		audience byte
		elements uint8
		group    string
	}
	s := &PeopleSummary{ByJurisdiction: map[string]int{}}
	letters := map[letter]bool{}
	finish := func(a *agg) {
		s.People++
		j := a.jurisdiction
		l := letter{audience: 'A', elements: a.elements, group: "INT"}
		switch {
		case a.deceased:
			l.audience = 'D'
		case a.minor:
			l.audience = 'M'
		}
		switch {
		case j == "US" || strings.HasPrefix(j, "US-"):
			l.group = "US"
		case j == "EU-GDPR":
			l.group = "EU"
		case j == "":
			l.group = "UNK"
		}
		letters[l] = true
		if a.records > 1 {
			s.MergedPeople++
		}
		s.ByJurisdiction[j]++
		switch {
		case a.address:
			s.Mail++
		case a.email:
			s.EmailOnly++
		default:
			s.Substitute++
		}
		if a.minor {
			s.Minors++
		}
		if a.deceased {
			s.Deceased++
		}
	}
	var cur agg
	curPerson, person := -1, 0
	for i := range m.customers() {
		if m.facts[i]&factDuplicate == 0 {
			person = i
		}
		el := t.elements(i)
		if el == 0 {
			continue
		}
		if person != curPerson {
			if curPerson >= 0 {
				finish(&cur)
			}
			cur, curPerson = agg{}, person
		}
		minor := m.facts[i]&factMinor != 0
		cur.records++
		cur.elements |= el
		cur.deceased = cur.deceased || (i < m.n && isDeceased(i))
		if m.present[i]&elAddress != 0 && !cur.address {
			cur.address, cur.jurisdiction, cur.minor = true, jurisdictions[m.juris[i]], minor
		}
		if m.present[i]&elEmail != 0 {
			cur.email = true
		}
		if !cur.address && cur.records == 1 {
			cur.minor, cur.jurisdiction = minor, jurisdictions[m.juris[i]]
		}
		if m.facts[i]&factNearMiss != 0 && i > 0 && t.elements(i-1) != 0 {
			s.NearMissPairs++
		}
	}
	if curPerson >= 0 {
		finish(&cur)
	}
	s.LetterVersions = len(letters)
	return s
}

func writePeopleAnswer(dir string, s *PeopleSummary) error {
	keys := make([]string, 0, len(s.ByJurisdiction))
	for k := range s.ByJurisdiction {
		keys = append(keys, k)
	}
	sort.Strings(keys) // encoding/json sorts map keys too; kept explicit for readers
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, "people.json"), func(w *bufferedFile) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}
