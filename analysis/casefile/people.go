package casefile

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// People declares how customer records merge into the individuals who get
// notices. Rules are tiered like the breach-review platforms': the fields
// in Agree must be present and equal, the fields in NotConflict may be
// missing but must not differ, every other field may differ.
type People struct {
	Rules    []MergeRule `yaml:"rules"`
	NearMiss []NearMiss  `yaml:"near_miss"`
}

// MergeRule is one way two records can be the same person.
type MergeRule struct {
	Name        string   `yaml:"name"`
	Agree       []string `yaml:"agree"`
	NotConflict []string `yaml:"not_conflict"`
}

// NearMiss lists, for review, records that agree on these fields but that
// no rule merged (same name and address, different date of birth).
type NearMiss struct {
	Name  string   `yaml:"name"`
	Agree []string `yaml:"agree"`
}

// MergeFields are the comparable fields merge rules use, each compared in a
// normalised form (see queries/people.sql).
var MergeFields = []string{"name", "email", "phone", "date_of_birth", "address", "account_number"}

// DefaultPeople are the rules used when the case file has no people section.
var DefaultPeople = People{
	Rules: []MergeRule{
		{Name: "same email", Agree: []string{"email"}, NotConflict: []string{"date_of_birth"}},
		{Name: "same name, date of birth and address", Agree: []string{"name", "date_of_birth", "address"}},
		{Name: "same name, date of birth and phone", Agree: []string{"name", "date_of_birth", "phone"}},
	},
	NearMiss: []NearMiss{
		{Name: "same name and address", Agree: []string{"name", "address"}},
		{Name: "same name and date of birth", Agree: []string{"name", "date_of_birth"}},
	},
}

// DefaultMailBatchSize is the rows per mail-house file.
const DefaultMailBatchSize = 50000

func (v *validator) people() {
	p := &v.c.People
	if len(p.Rules) == 0 && len(p.NearMiss) == 0 {
		*p = DefaultPeople
	}
	names := map[string]bool{}
	for i := range p.Rules {
		r := &p.Rules[i]
		key := fmt.Sprintf("people.rules[%d]", i)
		if r.Name == "" {
			r.Name = strings.Join(r.Agree, "+")
		}
		if names[r.Name] {
			v.fail(key+".name", "duplicate rule name %q", r.Name)
		}
		names[r.Name] = true
		if len(r.Agree) == 0 {
			v.fail(key+".agree", "list the fields that must agree; fields: %s", strings.Join(MergeFields, ", "))
		}
		v.mergeFields(key+".agree", r.Agree)
		v.mergeFields(key+".not_conflict", r.NotConflict)
	}
	for i := range p.NearMiss {
		n := &p.NearMiss[i]
		key := fmt.Sprintf("people.near_miss[%d]", i)
		if n.Name == "" {
			n.Name = strings.Join(n.Agree, "+")
		}
		if len(n.Agree) == 0 {
			v.fail(key+".agree", "list the fields that must agree")
		}
		v.mergeFields(key+".agree", n.Agree)
	}
}

func (v *validator) mergeFields(key string, fields []string) {
	for j, f := range fields {
		if !slices.Contains(MergeFields, f) {
			v.fail(fmt.Sprintf("%s[%d]", key, j), "unknown field %q%s; fields: %s", f, suggest(f, MergeFields), strings.Join(MergeFields, ", "))
		}
	}
}

// noticeDates validates the dates notices depend on and fills defaults:
// ages are taken at the reference date (default: the discovery date, else
// the end of the attack window), and deadlines run from the discovery date.
func (v *validator) noticeDates() {
	n := &v.c.Notice
	if n.MailBatchSize == 0 {
		n.MailBatchSize = DefaultMailBatchSize
	}
	if n.MailBatchSize < 1 {
		v.fail("notice.mail_batch_size", "rows per mail file: a positive number such as 50000")
	}
	if v.c.DiscoveryDate != "" {
		t, err := time.Parse("2006-01-02", v.c.DiscoveryDate)
		if err != nil {
			v.fail("discovery_date", "a date such as 2023-01-05 (deadlines run from it)")
		}
		v.c.Discovery = t
	}
	switch {
	case n.ReferenceDate != "":
		t, err := time.Parse("2006-01-02", n.ReferenceDate)
		if err != nil {
			v.fail("notice.reference_date", "a date such as 2023-01-05 (ages for minors are taken on it)")
		}
		v.c.Reference = t
	case !v.c.Discovery.IsZero():
		v.c.Reference = v.c.Discovery
	case !v.c.Window.End.IsZero():
		v.c.Reference = v.c.Window.End.Truncate(24 * time.Hour)
	}
}
