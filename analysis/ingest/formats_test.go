package ingest

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/breachscope/breachscope/queries"
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

// TestJSONStructure pins when JSON fields are read with one json_transform
// into a struct (plain chains of keys) and when with json_extract_string
// (anything else), and the structure it binds.
func TestJSONStructure(t *testing.T) {
	for _, tc := range []struct {
		paths []string
		want  string // "" when the list form must be used
	}{
		{[]string{`$."ts"`, `$."client"."ip"`, `$."client"."port"`}, `{"ts":"VARCHAR","client":{"ip":"VARCHAR","port":"VARCHAR"}}`},
		{[]string{`$."a.b"`, `$."a"."b"`}, `{"a.b":"VARCHAR","a":{"b":"VARCHAR"}}`},
		{[]string{`$."q\"k"`}, `{"q\"k":"VARCHAR"}`},
		{[]string{`$."client"`, `$."client"."ip"`}, ""}, // a value and an object
		{[]string{`$."client"."ip"`, `$."client"`}, ""},
		{[]string{`$."ip"`, `$."IP"`}, ""}, // struct fields ignore case
		{[]string{`$.x[0]`}, ""},           // a case file's own JSONPath
		{[]string{`$."ts"`, `$.ts`}, ""},
	} {
		keys := make([][]string, len(tc.paths))
		for k, p := range tc.paths {
			keys[k] = jsonKeys(p)
		}
		got, ok := jsonStructure(keys)
		if !ok {
			got = ""
		}
		if got != tc.want {
			t.Errorf("%v: got %q, want %q", tc.paths, got, tc.want)
		}
	}
}

// TestJSONListForm ingests a source whose mapping cannot be a struct (a
// field and an object of another field share a key, and a JSONPath of the
// case file's own) and checks it reads the same values.
func TestJSONListForm(t *testing.T) {
	for name, fields := range map[string]string{
		"struct": "{time: ts, method: m, path: p, status: s, principal: who.key, client_ip: who.ip}",
		"list":   "{time: '$.ts', method: m, path: p, status: s, principal: who.key, client_ip: who.ip, user_agent: who}",
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeCase(t, map[string]string{"c.csv": "id,acct\n1,2\n", "l.jsonl": `{"ts":"2022-11-25T03:00:00Z","m":"GET","p":"/a/1","s":"200","who":{"key":"k1","ip":"192.0.2.1"}}` + "\n" +
				`{"ts":"2022-11-25T03:00:01Z","m":["GET"],"p":"/a/2","s":200,"who":"x"}` + "\n",
				"case.yaml": `version: 1
customers:
  sources:
    - {path: c.csv, columns: {customer_id: id, account_number: acct}}
logs:
  - {path: l.jsonl, format: jsonl, fields: ` + fields + `}
endpoints:
  - {name: acct, path: "/a/{account_number}", exposes: [account_number]}
scope:
  principals: [k]
`})
			c, db := openCase(t, dir)
			if _, err := Run(context.Background(), db, c); err != nil {
				t.Fatal(err)
			}
			got := dump(t, db, "SELECT line, ts, principal, client_ip, method, path, status FROM access UNION ALL SELECT line, NULL, NULL, NULL, reason, NULL, NULL FROM rejects ORDER BY line")
			want := "line\tts\tprincipal\tclient_ip\tmethod\tpath\tstatus\n1\t2022-11-25 03:00:00\tk1\t192.0.2.1\tGET\t/a/1\t200\n2\tNULL\tNULL\tNULL\tmethod is not a JSON string\tNULL\tNULL\n"
			if got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// TestCSVSplitPlain checks the fast split of csv lines whose quotes wrap
// whole fields against the general one, on every line of up to 7 bytes of
// a, comma, quote and space (and tab for tsv): wherever the fast one
// applies, both give the same fields.
func TestCSVSplitPlain(t *testing.T) {
	ctx := context.Background()
	_, db := openCase(t, filepath.Join("testdata", "awkward"))
	text, err := queries.Render("ingest_csv.sql", logScript{Table: "access"})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range queries.Statements(text) {
		if strings.Contains(st, "TEMP MACRO") {
			if err := db.Exec(ctx, st); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, sep := range []string{",", "\t"} {
		alphabet := []string{"a", sep, `"`, " "}
		var lines []string
		var gen func(prefix string, n int)
		gen = func(prefix string, n int) {
			lines = append(lines, prefix)
			if n == 0 {
				return
			}
			for _, c := range alphabet {
				gen(prefix+c, n-1)
			}
		}
		gen("", 7)
		var fast, differ int64
		err := db.QueryRow(ctx, `SELECT count(*) FILTER (plain), count(*) FILTER (plain AND bs_split_plain(parts, $sep) IS DISTINCT FROM bs_split_csv(parts, $sep))
			FROM (SELECT parts, bs_plain_quotes(parts, $sep) AS plain FROM (SELECT string_split(l, '"') AS parts FROM unnest($lines) t(l)))`,
			sql.Named("sep", sep), sql.Named("lines", lines)).Scan(&fast, &differ)
		if err != nil {
			t.Fatal(err)
		}
		if differ != 0 || fast < 1000 {
			t.Errorf("separator %q: %d of %d lines split plainly differ from the general split", sep, differ, fast)
		}
	}
}
