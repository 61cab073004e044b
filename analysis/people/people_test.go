package people

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/ingest"
	"github.com/breachscope/breachscope/analysis/resolve"
	"github.com/breachscope/breachscope/analysis/store"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// TestDedup merges a hand-written set of records whose every row is a case:
// an email in another case (merge), the same person without an address,
// a state written out and "St." for "Street" (merge through name, date of
// birth and address), the same name and address with another date of birth
// (not merged: a near miss), a minor, a deceased customer, email only, an
// unusable email and no address (substitute), an address abroad, and two
// people sharing an address with different names of birth (near miss).
func TestDedup(t *testing.T) {
	ctx := context.Background()
	db := analyze(t, filepath.Join("testdata", "dedup"))
	got := ""
	for _, q := range []string{
		`SELECT customer_ids, name, address_line1, city, state, postal_code, country, email, minor, deceased, channel,
		   jurisdiction, merge_reasons, account_numbers FROM people ORDER BY customer_ids[1]`,
		`SELECT p.customer_ids[1] AS first_customer, l.letter_version, l.addressee, n.notice_required, n.notice_reason
		   FROM people p JOIN person_letters l USING (person_id) JOIN person_notice n USING (person_id) ORDER BY 1`,
		`SELECT n.rule, a.customer_ids[1] AS a, b.customer_ids[1] AS b, n.differs FROM near_misses n
		   JOIN people a ON a.person_id = n.person_a JOIN people b ON b.person_id = n.person_b ORDER BY ALL`,
		`SELECT code, people, notice_required, deadline, regulator_deadline FROM jurisdictions ORDER BY code`,
	} {
		text, err := db.Text(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		got += text + "\n"
	}
	path := filepath.Join("testdata", "dedup.golden")
	if *update {
		os.WriteFile(path, []byte(got), 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestPersonIDsStable: adding unrelated records changes no person id.
func TestPersonIDsStable(t *testing.T) {
	ids := func(extra string) map[string]string {
		dir := t.TempDir()
		for _, f := range []string{"case.yaml", "logs.jsonl"} {
			b, _ := os.ReadFile(filepath.Join("testdata", "dedup", f))
			os.WriteFile(filepath.Join(dir, f), b, 0o600)
		}
		b, _ := os.ReadFile(filepath.Join("testdata", "dedup", "customers.csv"))
		os.WriteFile(filepath.Join(dir, "customers.csv"), append(b, extra...), 0o600)
		ctx := context.Background()
		db := analyze(t, dir)
		rows, err := db.Query(ctx, "SELECT customer_ids[1], person_id FROM people")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]string{}
		for rows.Next() {
			var c, p string
			rows.Scan(&c, &p)
			out[c] = p
		}
		return out
	}
	before := ids("")
	after := ids("A0,Zed,Unrelated,9 Far Rd,,Nome,AK,99762,US,zed@example.com,,1960-01-01,1000,\n")
	for c, p := range before {
		if after[c] != p {
			t.Errorf("person of %s changed from %s to %s", c, p, after[c])
		}
	}
}

// analyze ingests and analyses the case in dir into an in-memory database
// closed at the end of the test.
func analyze(t *testing.T, dir string) *store.DB {
	t.Helper()
	ctx := context.Background()
	c, err := casefile.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, "", store.Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := ingest.Run(ctx, db, c); err != nil {
		t.Fatal(err)
	}
	if err := resolve.Run(ctx, db, c); err != nil {
		t.Fatal(err)
	}
	if err := Run(ctx, db, c); err != nil {
		t.Fatal(err)
	}
	return db
}
