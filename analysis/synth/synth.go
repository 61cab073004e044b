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
	// Customers is the number of customers (1000 when 0, at most
	// MaxCustomers).
	Customers int
	// LogLines is the number of log lines the case holds in all, planted
	// bad lines and the attacker's requests included; legitimate traffic
	// fills the rest. When 0 the volume is the default case's, about two
	// requests per customer.
	LogLines int
	// Tier is a preset size, one of Tiers (S, M, L, XL), which sets
	// Customers and LogLines (leave both 0) and the share of customers
	// exposed (30% at S, 37% above). A tier case writes one uncompressed log
	// file per day, and its answer also as expected/exposed.parquet.
	Tier string
	// GzipLogs gzips every log file at the fastest level, for tier cases:
	// the logs take about 13% of the disk (tier S: 29.7 MB become 3.9 MB; XL's
	// would otherwise need about 80 GB),
	// for a slower generation and single-threaded decompression at ingest.
	// Parquet logs are compressed inside and stay as they are.
	GzipLogs bool

	// The shapes of real data that make resolving requests hard (issue 4);
	// the answer follows each. They need an HTTP log format (not
	// cloudtrail).
	//
	// MultiTable splits customers into subscribers.csv (name, date of
	// birth, email, phone) and accounts.csv (account number, billing
	// address, plan; one to three per subscriber, some without an address),
	// and adds a billing endpoint (name from subscribers, address and plan
	// from the account the request names) and an all-accounts endpoint
	// (every account of the subscriber, through also_returns).
	MultiTable bool
	// Former adds former_customers.csv, a second primary table (full name,
	// phone, date of birth in day-month-year order, some emails, closed
	// account numbers), which the attacker also reaches.
	Former bool
	// MixedFormats writes identifiers in many forms, in the tables and in
	// requests: phones as (555) 201-0001, 555.201.0001, +1 555 201 0001,
	// 15552010001 and URL-encoded; account numbers with and without leading
	// zeros; emails in odd case and with spaces around; dates of birth as
	// 1987-03-14, 19870314, 14.03.1987 and 03/14/1987.
	MixedFormats bool
	// Ambiguous plants identifiers that belong to more than one customer:
	// household phones on two records, and with Former recycled phone
	// numbers and reissued account numbers. The attacker looks each up;
	// such requests are counted as ambiguous and expose no one.
	Ambiguous bool
	// Endpoints adds lookups by customer id (in the path) and by email (in
	// the query), exposing other elements; a planted duplicate's email,
	// shared by two records in different letter case, is ambiguous.
	Endpoints bool
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
	Seed uint64 `json:"seed"`
	// Customers counts the customers of every primary table: current
	// customers (subscribers), then former ones.
	Customers        int `json:"customers"`
	LogLines         int `json:"log_lines"`
	RejectedLines    int `json:"rejected_lines"`
	AcceptedRequests int `json:"accepted_requests"`
	InScope          int `json:"in_scope"`
	OutOfScope       int `json:"out_of_scope"`
	NoEndpoint       int `json:"no_endpoint"`
	Unsuccessful     int `json:"unsuccessful"`
	Successful       int `json:"successful"`
	Matched          int `json:"matched"`
	Ambiguous        int `json:"ambiguous"`
	Unmatched        int `json:"unmatched"`
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
	m, err := modelFor(opts)
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
	m.formulaCustomer = attack.formula
	normal, err := m.normalVolume(attack.total)
	if err != nil {
		return nil, err
	}
	if err = writeCustomers(ctx, dir, m); err != nil {
		return nil, err
	}
	logDir, expDir := filepath.Join(dir, "logs"), filepath.Join(dir, "expected")
	for _, d := range []string{logDir, expDir} {
		if err = os.Mkdir(d, dirMode); err != nil {
			return nil, err
		}
	}
	t := newTally(m)
	if err = writeLogs(ctx, logDir, m, attack, normal, t, logFormat(opts.LogFormat)); err != nil {
		return nil, err
	}
	if sum, err = t.summary(); err != nil {
		return nil, err
	}
	if err = writeExpected(expDir, t, sum); err != nil {
		return nil, err
	}
	if m.daily {
		if err = writeAnswerParquet(ctx, expDir); err != nil {
			return nil, err
		}
	}
	if err = writePeopleAnswer(expDir, t.peopleAnswer()); err != nil {
		return nil, err
	}
	if err = writeCaseFile(dir, m, logFormat(opts.LogFormat), opts.Tier); err != nil {
		return nil, err
	}
	return sum, nil
}

// MaxCustomers is the largest case synth writes: the carrier case.
const MaxCustomers = 100_000_000

// modelFor checks the options and lays out the case they ask for.
func modelFor(opts Options) (*model, error) {
	n, lines, shares := opts.Customers, opts.LogLines, defaultShares
	if opts.Tier != "" {
		t, err := findTier(opts.Tier)
		if err != nil {
			return nil, err
		}
		if n != 0 || lines != 0 {
			return nil, fmt.Errorf("synth: tier %s sets the customers and log lines; leave them 0", t.name)
		}
		n, lines, shares = t.customers, t.logLines, sharesFor(t.exposedShare)
	}
	sh := shapes{multiTable: opts.MultiTable, former: opts.Former, mixedFormats: opts.MixedFormats,
		ambiguous: opts.Ambiguous, endpoints: opts.Endpoints}
	if sh.any() && logFormat(opts.LogFormat) == "cloudtrail" {
		return nil, fmt.Errorf("synth: the customer and API shapes need an HTTP log format; choose any format but cloudtrail")
	}
	if n == 0 {
		n = defaultCustomers
	}
	if n < minCustomers {
		return nil, fmt.Errorf("synth: need at least %d customers, got %d", minCustomers, n)
	}
	if n > MaxCustomers {
		return nil, fmt.Errorf("synth: at most %d customers are supported, got %d", MaxCustomers, n)
	}
	if lines < 0 {
		return nil, fmt.Errorf("synth: log lines must not be negative, got %d", lines)
	}
	former := 0
	if sh.former {
		former = formerCount(n)
	}
	m, err := newModel(opts.Seed, n, former)
	if err != nil {
		return nil, err
	}
	m.shares, m.logLines, m.daily, m.shapes = shares, lines, opts.Tier != "", sh
	m.gzipLogs = opts.GzipLogs
	return m, nil
}
