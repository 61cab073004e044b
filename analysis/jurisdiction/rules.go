// Package jurisdiction holds the breach-notification rules table (one row
// per jurisdiction, kept as data in rules.csv) and answers the questions
// counsel asks of it: does this person's exposure require notice here and
// why, is the regulator or consumer-reporting-agency threshold met, and when
// is the deadline. The table is a starting point for counsel, not legal
// advice; README.md says where every fact came from and which are unverified.
package jurisdiction

import (
	"bytes"
	_ "embed"
	"strings"
	"time"
)

//go:embed rules.csv
var rulesCSV []byte

// Rule is one row of the rules table.
type Rule struct {
	// Code identifies the jurisdiction: US-CA, US-DC, US-PR, EU-GDPR.
	Code string
	// Name is the jurisdiction's name for people.
	Name string
	// Triggers are the element combinations that make notice required.
	Triggers Trigger
	// Regulator names who must be told besides the people, "" for nobody.
	Regulator string
	// RegulatorThreshold is the smallest number of affected residents that
	// requires telling the regulator: "more than 500" is 501, "500 or more"
	// is 500, every breach is 1. Zero means the table has no such duty
	// (or it is unverified; see Unverified).
	RegulatorThreshold int
	// RegulatorDeadlineDays is the regulator's deadline in calendar days
	// from discovery, zero when the statute sets none or counts from
	// something else (the notes say what).
	RegulatorDeadlineDays int
	// CRAThreshold is like RegulatorThreshold for notice to the nationwide
	// consumer reporting agencies.
	CRAThreshold int
	// DeadlineDays is the deadline for notifying people in calendar days
	// from discovery; zero when the statute says only "most expedient time
	// possible and without unreasonable delay".
	DeadlineDays int
	// Citation is the statute, e.g. "Cal. Civ. Code § 1798.82".
	Citation string
	// SourceURLs are where the facts of the row were found.
	SourceURLs []string
	// AsOf is when the row was last checked against its sources.
	AsOf time.Time
	// Notes are the row's qualifications, one fact each.
	Notes []string
}

// unverifiedPrefix starts a note saying a cell could not be confirmed.
const unverifiedPrefix = "unverified:"

// Unverified returns what the row's notes say could not be confirmed, one
// item per note, without the "unverified:" prefix.
func (r Rule) Unverified() []string {
	var out []string
	for _, n := range r.Notes {
		if rest, ok := strings.CutPrefix(n, unverifiedPrefix); ok {
			out = append(out, strings.TrimSpace(rest))
		}
	}
	return out
}

// Load parses and validates the shipped table. Every call returns a fresh
// slice the caller may change.
func Load() ([]Rule, error) {
	return Parse(bytes.NewReader(rulesCSV), "rules.csv")
}

// RegulatorNoticeRequired reports whether affected residents meet the
// regulator threshold. It is false when the table has no threshold, which
// includes an unverified one: check Unverified before relying on a false.
func (r Rule) RegulatorNoticeRequired(affected int) bool {
	return r.RegulatorThreshold > 0 && affected >= r.RegulatorThreshold
}

// CRANoticeRequired is RegulatorNoticeRequired for the consumer reporting
// agencies.
func (r Rule) CRANoticeRequired(affected int) bool {
	return r.CRAThreshold > 0 && affected >= r.CRAThreshold
}
