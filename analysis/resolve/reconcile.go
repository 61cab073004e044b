package resolve

import (
	"context"
	"fmt"
	"strings"

	"github.com/breachscope/breachscope/analysis/store"
)

// Counts are the headline numbers of an analysed case. Each is counted
// directly from its own table, never derived by subtraction, so the
// reconciliation equations are real checks.
type Counts struct {
	CustomerRecordsRead     int64 `json:"customer_records_read"`
	CustomerRecords         int64 `json:"customer_records_accepted"`
	CustomerRecordsRejected int64 `json:"customer_records_rejected"`
	Customers               int64 `json:"customers"`
	LogLines                int64 `json:"log_lines_read"`
	LogLinesRejected        int64 `json:"log_lines_rejected"`
	Requests                int64 `json:"requests"`
	InScope                 int64 `json:"in_scope"`
	OutOfScope              int64 `json:"out_of_scope"`
	NoEndpoint              int64 `json:"no_endpoint"`
	EndpointRequests        int64 `json:"endpoint_requests"`
	Unsuccessful            int64 `json:"unsuccessful"`
	Successful              int64 `json:"successful"`
	Matched                 int64 `json:"matched"`
	Ambiguous               int64 `json:"ambiguous"`
	Unmatched               int64 `json:"unmatched"`
	MatchedCustomers        int64 `json:"matched_customers"`
	ExposedCustomers        int64 `json:"exposed_customers"`
	MatchedWithoutData      int64 `json:"matched_customers_without_exposed_data"`
	UnmatchedIdentifiers    int64 `json:"unmatched_identifiers"`
	AmbiguousIdentifiers    int64 `json:"ambiguous_identifiers"`
	// People counts are present once people are built (analyze).
	People           int64 `json:"people,omitempty"`
	PeopleRecords    int64 `json:"people_customer_records,omitempty"`
	PeopleMail       int64 `json:"people_mail,omitempty"`
	PeopleEmail      int64 `json:"people_email_only,omitempty"`
	PeopleSubstitute int64 `json:"people_substitute,omitempty"`
}

// Check is one reconciliation equation: Left = sum of Right.
type Check struct {
	Name  string   `json:"name"`
	Left  Term     `json:"left"`
	Right []Term   `json:"right"`
	OK    bool     `json:"ok"`
	Notes []string `json:"notes,omitempty"`
}

// Term is a named count in an equation.
type Term struct {
	Label string `json:"label"`
	Value int64  `json:"value"`
}

// Equation renders the check as text, e.g. "lines read (10) = accepted (8) + rejected (2)".
func (c Check) Equation() string {
	parts := make([]string, len(c.Right))
	for i, t := range c.Right {
		parts[i] = fmt.Sprintf("%s (%d)", t.Label, t.Value)
	}
	return fmt.Sprintf("%s (%d) = %s", c.Left.Label, c.Left.Value, strings.Join(parts, " + "))
}

func newCheck(name string, left Term, right ...Term) Check {
	var sum int64
	for _, t := range right {
		sum += t.Value
	}
	return Check{Name: name, Left: left, Right: right, OK: sum == left.Value}
}

// Reconcile counts the analysed case and checks that every count adds up.
func Reconcile(ctx context.Context, db *store.DB) (*Counts, []Check, error) {
	c := &Counts{}
	queries := []struct {
		dst *int64
		sql string
	}{
		{&c.CustomerRecordsRead, "SELECT sum(rows_read) FROM inputs WHERE kind = 'customers'"},
		{&c.CustomerRecords, "SELECT count(*) FROM customer_records"},
		{&c.Customers, "SELECT count(*) FROM customers"},
		{&c.CustomerRecordsRejected, "SELECT count(*) FROM rejects JOIN inputs USING (input_id) WHERE kind = 'customers'"},
		{&c.LogLines, "SELECT sum(rows_read) FROM inputs WHERE kind = 'logs'"},
		{&c.LogLinesRejected, "SELECT count(*) FROM rejects JOIN inputs USING (input_id) WHERE kind = 'logs'"},
		{&c.Requests, "SELECT count(*) FROM access"},
		{&c.InScope, "SELECT count(*) FROM in_scope"},
		{&c.OutOfScope, "SELECT count(*) FROM access a ANTI JOIN scoped s USING (event_id)"},
		{&c.NoEndpoint, "SELECT count(*) FROM in_scope WHERE endpoint_id IS NULL"},
		{&c.EndpointRequests, "SELECT count(*) FROM in_scope WHERE endpoint_id IS NOT NULL"},
		{&c.Unsuccessful, "SELECT count(*) FROM in_scope WHERE endpoint_id IS NOT NULL AND NOT successful"},
		{&c.Successful, "SELECT count(*) FROM in_scope WHERE endpoint_id IS NOT NULL AND successful"},
		{&c.Matched, "SELECT count(*) FROM in_scope WHERE outcome = 'matched'"},
		{&c.Ambiguous, "SELECT count(*) FROM in_scope WHERE outcome = 'ambiguous'"},
		{&c.Unmatched, "SELECT count(*) FROM in_scope WHERE outcome = 'unmatched'"},
		{&c.MatchedCustomers, "SELECT count(DISTINCT customer_id) FROM request_matches JOIN in_scope USING (event_id) WHERE outcome = 'matched'"},
		{&c.ExposedCustomers, "SELECT count(*) FROM exposed_customers"},
		{&c.MatchedWithoutData, `SELECT count(DISTINCT m.customer_id) FROM request_matches m JOIN in_scope r USING (event_id)
			WHERE r.outcome = 'matched' AND m.customer_id NOT IN (SELECT customer_id FROM evidence)`},
		{&c.UnmatchedIdentifiers, "SELECT count(*) FROM unmatched_identifiers"},
		{&c.AmbiguousIdentifiers, "SELECT count(*) FROM ambiguous_identifiers"},
	}
	for _, q := range queries {
		n, err := db.Int(ctx, q.sql)
		if err != nil {
			return nil, nil, fmt.Errorf("reconcile: %w", err)
		}
		*q.dst = n
	}
	checks := []Check{
		newCheck("customer records", Term{"customer records read", c.CustomerRecordsRead},
			Term{"accepted", c.CustomerRecords}, Term{"rejected", c.CustomerRecordsRejected}),
		newCheck("log lines", Term{"log lines read", c.LogLines},
			Term{"requests accepted", c.Requests}, Term{"lines rejected", c.LogLinesRejected}),
		newCheck("scope", Term{"requests", c.Requests},
			Term{"in scope", c.InScope}, Term{"out of scope", c.OutOfScope}),
		newCheck("endpoints", Term{"in-scope requests", c.InScope},
			Term{"to a declared endpoint", c.EndpointRequests}, Term{"to no declared endpoint", c.NoEndpoint}),
		newCheck("success", Term{"requests to declared endpoints", c.EndpointRequests},
			Term{"successful", c.Successful}, Term{"unsuccessful", c.Unsuccessful}),
		newCheck("resolution", Term{"successful requests", c.Successful},
			Term{"matched one customer", c.Matched}, Term{"ambiguous", c.Ambiguous}, Term{"unmatched", c.Unmatched}),
		newCheck("customers", Term{"customers matched", c.MatchedCustomers},
			Term{"exposed", c.ExposedCustomers}, Term{"matched but no exposed element on record", c.MatchedWithoutData}),
	}
	hasPeople, err := db.Int(ctx, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'people' AND NOT temporary")
	if err != nil {
		return nil, nil, err
	}
	if hasPeople > 0 {
		for _, q := range []struct {
			dst *int64
			sql string
		}{
			{&c.People, "SELECT count(*) FROM people"},
			{&c.PeopleRecords, "SELECT coalesce(sum(len(customer_ids)), 0) FROM people"},
			{&c.PeopleMail, "SELECT count(*) FROM people WHERE channel = 'mail'"},
			{&c.PeopleEmail, "SELECT count(*) FROM people WHERE channel = 'email'"},
			{&c.PeopleSubstitute, "SELECT count(*) FROM people WHERE channel = 'substitute'"},
		} {
			if *q.dst, err = db.Int(ctx, q.sql); err != nil {
				return nil, nil, fmt.Errorf("reconcile people: %w", err)
			}
		}
		checks = append(checks,
			newCheck("people records", Term{"exposed customers", c.ExposedCustomers},
				Term{"customer records of the people to notify", c.PeopleRecords}),
			newCheck("channels", Term{"people to notify", c.People},
				Term{"by mail", c.PeopleMail}, Term{"by email only", c.PeopleEmail}, Term{"substitute notice", c.PeopleSubstitute}))
	}
	perFile, err := fileChecks(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	return c, append(perFile, checks...), nil
}

// fileChecks checks every input: lines read = header + accepted + rejected.
func fileChecks(ctx context.Context, db *store.DB) ([]Check, error) {
	rows, err := db.Query(ctx, `
		SELECT i.path, i.header_lines, i.rows_read,
		  CASE WHEN i.kind = 'logs' THEN (SELECT count(*) FROM access a WHERE a.input_id = i.input_id)
		       WHEN i.kind = 'identity' THEN (SELECT count(*) FROM identities d WHERE d.input_id = i.input_id)
		       ELSE (SELECT count(*) FROM customer_records c WHERE c.input_id = i.input_id) END,
		  (SELECT count(*) FROM rejects r WHERE r.input_id = i.input_id)
		FROM inputs i ORDER BY i.input_id`)
	if err != nil {
		return nil, fmt.Errorf("reconcile inputs: %w", err)
	}
	defer rows.Close()
	var out []Check
	for rows.Next() {
		var path string
		var header, read, accepted, rejected int64
		if err := rows.Scan(&path, &header, &read, &accepted, &rejected); err != nil {
			return nil, err
		}
		read += header
		out = append(out, newCheck("input "+path, Term{"lines read", read},
			Term{"header", header}, Term{"accepted", accepted}, Term{"rejected", rejected}))
	}
	return out, rows.Err()
}

// Failed returns the checks that do not hold.
func Failed(checks []Check) []Check {
	var out []Check
	for _, c := range checks {
		if !c.OK {
			out = append(out, c)
		}
	}
	return out
}
