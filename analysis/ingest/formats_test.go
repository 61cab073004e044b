package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFormats ingests one hand-written case per log format (testdata/formats/
// <format>: realistic lines written from the format's documentation, then
// the awkward ones) and compares the normalised access rows, the quarantine
// and the per-file accounting with testdata/formats/<format>.golden;
// -update rewrites them.
func TestFormats(t *testing.T) {
	for _, format := range []string{"combined", "alb", "apigw", "cloudtrail", "csv", "tsv", "parquet"} {
		t.Run(format, func(t *testing.T) {
			dir := filepath.Join("testdata", "formats", format)
			if format == "parquet" {
				dir = parquetFixture(t, dir)
			}
			c, db := openCase(t, dir)
			res, err := Run(context.Background(), db, c)
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range res.Inputs {
				if in.Kind != "customers" && in.Read != in.Accepted+in.Rejected {
					t.Errorf("%s: read %d + header %d != header + accepted %d + rejected %d", in.Path, in.Read, in.Header, in.Accepted, in.Rejected)
				}
			}
			got := "## inputs\n" + dump(t, db, "SELECT input_id, kind, path, header_lines, rows_read, rows_accepted, rows_rejected, warning FROM inputs WHERE kind <> 'customers' ORDER BY input_id") +
				"\n## access\n" + dump(t, db, `SELECT input_id, line, byte_offset, strftime(ts, '%Y-%m-%d %H:%M:%S.%g') AS ts, request_id, client_ip, principal,
					method, path, query, status, bytes, user_agent, protocol FROM access ORDER BY event_id`) +
				"\n## rejects\n" + dump(t, db, "SELECT r.input_id, line, byte_offset, reason FROM rejects r JOIN inputs USING (input_id) WHERE kind <> 'customers' ORDER BY r.input_id, line")
			golden := filepath.Join("testdata", "formats", format+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("ingest differs from %s (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// parquetFixture copies the parquet case to a temporary directory and
// writes its log files there from logs.sql ({{dir}} is that directory):
// hand-written rows, so the fixture is reviewable text, not a binary file.
func parquetFixture(t *testing.T, dir string) string {
	t.Helper()
	tmp := t.TempDir()
	for _, name := range []string{"case.yaml", "customers.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tmp, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(tmp, "logs"), 0o700); err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile(filepath.Join(dir, "logs.sql"))
	if err != nil {
		t.Fatal(err)
	}
	_, db := openCase(t, filepath.Join("testdata", "awkward"))
	text := strings.ReplaceAll(string(script), "{{dir}}", filepath.Join(tmp, "logs"))
	if err := db.Exec(context.Background(), text); err != nil {
		t.Fatal(err)
	}
	return tmp
}

// TestLogColumnErrors: a mapped column missing from a csv header or a
// parquet file stops the ingest with the columns the file does have.
func TestLogColumnErrors(t *testing.T) {
	ctx := context.Background()
	caseFile := func(logs string) string {
		return `version: 1
customers:
  sources:
    - {path: c.csv, columns: {customer_id: id, account_number: acct}}
logs:
  - ` + logs + `
endpoints:
  - {name: acct, path: "/a/{account_number}", exposes: [account_number]}
scope:
  principals: [k]
`
	}
	fields := "{time: ts, method: verb, path: p, status: s}"
	t.Run("csv", func(t *testing.T) {
		dir := writeCase(t, map[string]string{"c.csv": "id,acct\n1,2\n", "l.csv": "ts,method,p,s\n2022-11-25T00:00:00Z,GET,/a,200\n",
			"case.yaml": caseFile("{path: l.csv, fields: " + fields + "}")})
		c, db := openCase(t, dir)
		_, err := Run(ctx, db, c)
		if !errors.Is(err, ErrMissingColumn) || !strings.Contains(err.Error(), `column "verb" not in its header; its columns are: ts, method, p, s`) {
			t.Errorf("got %v", err)
		}
	})
	t.Run("parquet", func(t *testing.T) {
		dir := writeCase(t, map[string]string{"c.csv": "id,acct\n1,2\n", "case.yaml": caseFile("{path: l.parquet, fields: " + fields + "}")})
		_, db := openCase(t, dir)
		if err := db.Exec(ctx, "COPY (SELECT '2022-11-25T00:00:00Z' AS ts, 'GET' AS method, '/a' AS p, 200 AS s) TO '"+filepath.Join(dir, "l.parquet")+"'"); err != nil {
			t.Fatal(err)
		}
		c, db := openCase(t, dir)
		_, err := Run(ctx, db, c)
		if !errors.Is(err, ErrMissingColumn) || !strings.Contains(err.Error(), `column "verb" (for method) not in its files; their columns are: ts, method, p, s`) {
			t.Errorf("got %v", err)
		}
	})
}

// TestALBFieldPositions pins the mapping from AWS's field numbers to the
// split line: quoted fields are whole parts, unquoted ones tokens.
func TestALBFieldPositions(t *testing.T) {
	for n, want := range map[int]string{
		1: "h[1]", 2: "h[2]", 12: "h[12]", 13: "bs_unescape(p[2])", 14: "bs_unescape(p[4])",
		15: "string_split(trim(p[5]), ' ')[1]", 17: "string_split(trim(p[5]), ' ')[3]", 18: "bs_unescape(p[6])",
		20: "bs_unescape(p[10])", 22: "string_split(trim(p[11]), ' ')[2]", 29: "bs_unescape(p[24])",
		30: "string_split(trim(p[25]), ' ')[1]", 33: "bs_unescape(p[30])", 34: "string_split(trim(p[31]), ' ')[1]",
	} {
		if got := albField(n); got != want {
			t.Errorf("field %d: got %s, want %s", n, got, want)
		}
	}
}
