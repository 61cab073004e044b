package resolve

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/ingest"
	"github.com/breachscope/breachscope/analysis/store"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// TestTricky resolves a hand-written case whose every request is a corner:
// window edges, ip:port, IPv6 CIDR, user-agent indicator, trailing slash,
// leading zeros making an identifier ambiguous, URL-encoded phones, wrong
// method, rate limiting, empty bodies, empty identifiers, and a customer
// whose record lacks an exposed field.
func TestTricky(t *testing.T) {
	checkGolden(t, "tricky", func(db *store.DB) string {
		return "## in scope\n" + dump(t, db, "SELECT request_id, endpoint, identifier, outcome, customers_matched, matched_by FROM in_scope ORDER BY event_id") +
			"\n## exposed\n" + dump(t, db, "SELECT customer_id, elements, phrase, requests FROM exposed_customers ORDER BY customer_id") +
			"\n## ambiguous\n" + dump(t, db, "SELECT endpoint, identifier, requests, customer_ids FROM ambiguous_identifiers ORDER BY ALL") +
			"\n## unmatched\n" + dump(t, db, "SELECT endpoint, identifier, requests FROM unmatched_identifiers ORDER BY ALL")
	})
}

// checkGolden ingests and analyses testdata/<name>, checks it reconciles,
// and compares what show renders plus the reconciliation with
// testdata/<name>.golden.
func checkGolden(t *testing.T, name string, show func(*store.DB) string) {
	t.Helper()
	ctx := context.Background()
	c, err := casefile.Load(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, "", store.Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := ingest.Run(ctx, db, c); err != nil {
		t.Fatal(err)
	}
	if err := Run(ctx, db, c); err != nil {
		t.Fatal(err)
	}
	counts, checks, err := Reconcile(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if bad := Failed(checks); len(bad) > 0 {
		t.Fatalf("does not reconcile: %s", bad[0].Equation())
	}
	var b strings.Builder
	b.WriteString(show(db))
	b.WriteString("\n## reconciliation\n")
	for _, ch := range checks {
		fmt.Fprintf(&b, "%s: %s\n", ch.Name, ch.Equation())
	}
	fmt.Fprintf(&b, "\nexposed %d of matched %d\n", counts.ExposedCustomers, counts.MatchedCustomers)
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), b.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func dump(t *testing.T, db *store.DB, query string) string {
	t.Helper()
	text, err := db.Text(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

func TestParseClientIP(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.7": "203.0.113.7", "203.0.113.7:443": "203.0.113.7", "::ffff:203.0.113.9": "203.0.113.9",
		"[2001:db8::1]:443": "2001:db8::1", " 2001:db8::1 ": "2001:db8::1", "-": "",
	} {
		a, ok := parseClientIP(in)
		got := ""
		if ok {
			got = a.String()
		}
		if got != want {
			t.Errorf("%q: got %q want %q", in, got, want)
		}
	}
}

// TestMultiTable resolves customers spread over a subscribers table, a
// many-per-customer accounts table and a former-customers table: each
// request exposes only the rows it returned (the matched account's address,
// not the other account's), also_returns widens that to every account, and
// an account whose subscriber is unknown is quarantined, not exposed.
func TestMultiTable(t *testing.T) {
	checkGolden(t, "multitable", func(db *store.DB) string {
		return "## customers\n" + dump(t, db, "SELECT customer_id, source, first_name, full_name, address_line1, account_number, strftime(birth_date, '%Y-%m-%d') AS birth_date FROM customers ORDER BY customer_id") +
			"\n## rejects\n" + dump(t, db, "SELECT input_id, reason FROM rejects ORDER BY ALL") +
			"\n## in scope\n" + dump(t, db, "SELECT request_id, endpoint, identifier, outcome FROM in_scope ORDER BY event_id") +
			"\n## evidence\n" + dump(t, db, "SELECT customer_id, element, request_id, record_source, record_number FROM evidence ORDER BY ALL") +
			"\n## exposed\n" + dump(t, db, "SELECT customer_id, elements, requests FROM exposed_customers ORDER BY customer_id")
	})
}
