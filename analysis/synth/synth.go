// Package synth generates a synthetic breach case with a known answer: a
// customer table, API access logs in which an attacker enumerates customers
// among legitimate traffic, a case file, and the exact result breachscope
// must reach. It exists so that tests, benchmarks and demos never need real
// customer data, and so that every count the product reports can be checked
// against an answer computed independently of the product's SQL.
//
// All names, streets, towns, phone numbers (555 exchange), email domains
// (example.com/.org/.net) and IP addresses (documentation ranges) are
// fictional. The same seed and options always give byte-identical files.
package synth

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// Options configures a synthetic case.
type Options struct {
	// Seed drives every random choice: the same seed and options give
	// byte-identical files, so a failing case can be regenerated exactly.
	Seed uint64
	// Customers is the number of customers (1000 when 0). It is capped by
	// the number of distinct fictional phone numbers (about 7 million).
	Customers int
	// LogFormat is the format of the access logs, one of LogFormats
	// (jsonl when ""); the case file declares it, and the answer is the
	// same whatever the format.
	LogFormat string
}

// Summary is the known answer's headline counts, also written to
// expected/summary.json, so a run's reconciliation can be compared field by
// field. The counts follow the product's contract: log_lines =
// rejected_lines + accepted_requests; accepted_requests = in_scope +
// out_of_scope; in_scope = no_endpoint + unsuccessful + successful;
// successful = matched + ambiguous + unmatched.
type Summary struct {
	Seed             uint64 `json:"seed"`
	Customers        int    `json:"customers"`
	LogLines         int    `json:"log_lines"`
	RejectedLines    int    `json:"rejected_lines"`
	AcceptedRequests int    `json:"accepted_requests"`
	InScope          int    `json:"in_scope"`
	OutOfScope       int    `json:"out_of_scope"`
	NoEndpoint       int    `json:"no_endpoint"`
	Unsuccessful     int    `json:"unsuccessful"`
	Successful       int    `json:"successful"`
	Matched          int    `json:"matched"`
	Ambiguous        int    `json:"ambiguous"`
	Unmatched        int    `json:"unmatched"`
	// MatchedCustomers counts distinct customers hit by a matched request;
	// it equals ExposedCustomers + MatchedWithoutElements.
	MatchedCustomers int `json:"matched_customers"`
	// MatchedWithoutElements counts matched customers who had no value for
	// any element their requests returned: matched, yet nothing exposed.
	MatchedWithoutElements int `json:"matched_without_elements"`
	ExposedCustomers       int `json:"exposed_customers"`
	// ExposedPerElement maps each element (name, address, email, phone,
	// date_of_birth, account_number, plan) to its number of exposed
	// customers; every element is present, zero or not.
	ExposedPerElement map[string]int `json:"exposed_per_element"`
}

// Generate writes a case into dir (created if missing, must be empty or
// absent) and returns the summary. On error it removes what it wrote, so a
// half-written case never looks complete.
func Generate(ctx context.Context, dir string, opts Options) (sum *Summary, err error) {
	if !slices.Contains(LogFormats, logFormat(opts.LogFormat)) {
		return nil, fmt.Errorf("synth: unknown log format %q; formats: %s", opts.LogFormat, formatList())
	}
	n := opts.Customers
	if n == 0 {
		n = defaultCustomers
	}
	if n < minCustomers {
		return nil, fmt.Errorf("synth: need at least %d customers, got %d", minCustomers, n)
	}
	if n > maxCustomers() {
		return nil, fmt.Errorf("synth: at most %d customers are supported, got %d", maxCustomers(), n)
	}
	m, err := newModel(opts.Seed, n)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	created, err := prepareDir(dir)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			cleanup(dir, created)
			sum = nil
		}
	}()

	attack := planAttack(m)
	m.formulaCustomer = pickFormulaCustomer(attack)
	if err = writeCustomers(ctx, filepath.Join(dir, "customers.csv"), m); err != nil {
		return nil, err
	}
	logDir, expDir := filepath.Join(dir, "logs"), filepath.Join(dir, "expected")
	for _, d := range []string{logDir, expDir} {
		if err = os.Mkdir(d, dirMode); err != nil {
			return nil, err
		}
	}
	t := newTally(m)
	if err = writeLogs(ctx, logDir, m, attack, t, logFormat(opts.LogFormat)); err != nil {
		return nil, err
	}
	sum = t.summary()
	if err = writeExpected(expDir, t, sum); err != nil {
		return nil, err
	}
	if err = writePeopleAnswer(expDir, t.peopleAnswer()); err != nil {
		return nil, err
	}
	if err = writeCaseFile(dir, m, logFormat(opts.LogFormat)); err != nil {
		return nil, err
	}
	return sum, nil
}
