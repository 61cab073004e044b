package ingest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/store"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

func openCase(t *testing.T, dir string) (*casefile.Case, *store.DB) {
	t.Helper()
	c, err := casefile.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), "", store.Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return c, db
}

// dump renders a query's rows as tab-separated text for golden files.
func dump(t *testing.T, db *store.DB, query string) string {
	t.Helper()
	text, err := db.Text(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// TestAwkwardInputs ingests a hand-written case full of awkward lines and
// records and compares the normalised access rows, the quarantine and the
// per-file accounting with a golden file.
func TestAwkwardInputs(t *testing.T) {
	c, db := openCase(t, filepath.Join("testdata", "awkward"))
	res, err := Run(context.Background(), db, c)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range res.Inputs {
		if in.Read+in.Header != in.Header+in.Accepted+in.Rejected {
			t.Errorf("%s: read %d != accepted %d + rejected %d", in.Path, in.Read, in.Accepted, in.Rejected)
		}
	}
	got := "## inputs\n" + dump(t, db, "SELECT input_id, kind, path, header_lines, rows_read, rows_accepted, rows_rejected, warning FROM inputs ORDER BY input_id") +
		"\n## customers\n" + dump(t, db, "SELECT customer_id, source_record, full_name, account_number, email FROM customers ORDER BY input_id, source_record") +
		"\n## access\n" + dump(t, db, "SELECT event_id, input_id, line, byte_offset, strftime(ts, '%Y-%m-%d %H:%M:%S.%g') AS ts, request_id, client_ip, principal, method, path, query, status, bytes, user_agent FROM access ORDER BY event_id") +
		"\n## rejects\n" + dump(t, db, "SELECT input_id, line, byte_offset, reason FROM rejects ORDER BY input_id, line NULLS FIRST, reason")
	path := filepath.Join("testdata", "awkward.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("ingest differs from %s (-want +got):\n%s", path, diff)
	}
}

func writeCase(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const minimalCase = `version: 1
customers:
  sources:
    - path: %s
      columns: {customer_id: %s, account_number: acct}
logs:
  - path: %s
    fields: {time: ts, method: m, path: p, status: s}
endpoints:
  - {name: acct, path: "/a/{account_number}", exposes: [account_number]}
scope:
  principals: [k]
`

func TestIngestErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		files    map[string]string
		want     []string
		sentinel error
	}{
		{"log glob matches nothing",
			map[string]string{"case.yaml": fmt.Sprintf(minimalCase, "c.csv", "id", "logs/*.jsonl"), "c.csv": "id,acct\n1,2\n"},
			[]string{`"logs/*.jsonl"`, "matches no file"}, ErrNoFiles},
		{"customer file missing",
			map[string]string{"case.yaml": fmt.Sprintf(minimalCase, "missing.csv", "id", "l.jsonl"), "l.jsonl": "{}\n"},
			[]string{`"missing.csv"`, "matches no file"}, ErrNoFiles},
		{"mapped column missing",
			map[string]string{"case.yaml": fmt.Sprintf(minimalCase, "c.csv", "cust_id", "l.jsonl"), "c.csv": "id,acct\n1,2\n", "l.jsonl": "{}\n"},
			[]string{`column "cust_id" (for customer_id) not in the file; its columns are: acct, id`}, ErrMissingColumn},
		{"duplicate customer ids",
			map[string]string{"case.yaml": fmt.Sprintf(minimalCase, "c.csv", "id", "l.jsonl"), "c.csv": "id,acct\n1,2\n1,3\n2,4\n", "l.jsonl": "{}\n"},
			[]string{"1 customer id(s) appear in more than one record", "1 x2 (c.csv record 1, c.csv record 2)"}, ErrDuplicateCustomer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeCase(t, tc.files)
			c, db := openCase(t, dir)
			_, err := Run(context.Background(), db, c)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, tc.sentinel) {
				t.Errorf("not %v: %v", tc.sentinel, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q: %v", w, err)
				}
			}
		})
	}
}

func TestJSONPath(t *testing.T) {
	for in, want := range map[string]any{"": nil, "a": `$."a"`, "request.uri": `$."request"."uri"`, "$.x[0]": "$.x[0]"} {
		if got := jsonPath(in); got != want {
			t.Errorf("%q: got %v want %v", in, got, want)
		}
	}
}

func TestDescribeColumnsHidesData(t *testing.T) {
	got := describeColumns(map[string]string{"a": "cust_id", "b": "Jane Smith", "c": "jane@example.com", "d": "5552010001", "e": "First Name"})
	want := "its columns are: First Name, cust_id and 3 name(s) that look like data (is the header row missing?)"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
