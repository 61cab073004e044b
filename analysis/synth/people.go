package synth

import (
	"encoding/json"
	"path/filepath"
	"sort"
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

// personFacts are what the people answer needs per customer.
type personFacts struct {
	person   int32 // index of the first customer of this person
	nearMiss bool  // planted near miss of customer i-1
	state    string
	minor    bool
	deceased bool
}

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
	People         int            `json:"people"`
	MergedPeople   int            `json:"merged_people"`
	NearMissPairs  int            `json:"near_miss_pairs"`
	Mail           int            `json:"mail"`
	EmailOnly      int            `json:"email_only"`
	Substitute     int            `json:"substitute"`
	Minors         int            `json:"minors"`
	Deceased       int            `json:"deceased"`
	ByJurisdiction map[string]int `json:"by_jurisdiction"`
}

// peopleAnswer groups the exposed customers into people as the default
// merge rules must (planted duplicates share name, date of birth, address
// and email; nothing else does), and decides channels the way notices do:
// mail when a member has an address, else email, else substitute.
func (t *tally) peopleAnswer() *PeopleSummary {
	m := t.m
	type agg struct {
		records          int
		address, email   bool
		minor, deceased  bool
		state            string
		firstWithAddress int
	}
	people := map[int32]*agg{}
	var order []int32
	exposed := func(i int) bool { return t.elements(i) != 0 }
	for i := 0; i < m.n; i++ {
		if !exposed(i) {
			continue
		}
		f := m.facts[i]
		a := people[f.person]
		if a == nil {
			a = &agg{firstWithAddress: -1}
			people[f.person] = a
			order = append(order, f.person)
		}
		a.records++
		a.deceased = a.deceased || f.deceased
		if m.present[i]&elAddress != 0 && a.firstWithAddress < 0 {
			a.address, a.firstWithAddress, a.state, a.minor = true, i, f.state, f.minor
		}
		if m.present[i]&elEmail != 0 {
			a.email = true
		}
		if !a.address && a.records == 1 {
			a.minor = f.minor
		}
	}
	s := &PeopleSummary{People: len(people), ByJurisdiction: map[string]int{}}
	for _, p := range order {
		a := people[p]
		if a.records > 1 {
			s.MergedPeople++
		}
		switch {
		case a.address:
			s.Mail++
			s.ByJurisdiction["US-"+a.state]++
		case a.email:
			s.EmailOnly++
			s.ByJurisdiction["US"]++ // country US, state unknown
		default:
			s.Substitute++
			s.ByJurisdiction["US"]++
		}
		if a.minor {
			s.Minors++
		}
		if a.deceased {
			s.Deceased++
		}
	}
	for i := 1; i < m.n; i++ {
		if m.facts[i].nearMiss && exposed(i) && exposed(i-1) {
			s.NearMissPairs++
		}
	}
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
