package ingest

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/store"
)

// badCase is the case file of the bad-input inventory; %s are the customer
// path, the account number column and the log path.
const badCase = `version: 1
customers:
  sources:
    - path: '%s'
      format: csv
      columns: {customer_id: id, account_number: %s}
logs:
  - path: '%s'
    format: jsonl
    fields: {time: ts, method: m, path: p, status: s, bytes: b}
endpoints:
  - {name: acct, path: "/a/{account_number}", exposes: [account_number]}
scope:
  principals: [k]
`

const (
	goodCustomers = "id,acct\n1,100\n2,200\n"
	goodLine      = `{"ts":"2023-01-02T03:04:05Z","m":"GET","p":"/a/100","s":200,"b":10}`
)

// logLine is a log line with the given JSON values for time, status and bytes.
func logLine(ts, status, size string) string {
	return fmt.Sprintf(`{"ts":%s,"m":"GET","p":"/a/100","s":%s,"b":%s}`, ts, status, size) + "\n"
}

func randomBytes(n int) string {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return string(b)
}

func utf16LE(s string) string {
	var b bytes.Buffer
	b.WriteString("\xff\xfe")
	for _, u := range utf16.Encode([]rune(s)) {
		b.WriteByte(byte(u))
		b.WriteByte(byte(u >> 8))
	}
	return b.String()
}

// badInput is one entry of the inventory: files over a default good case.
type badInput struct {
	name  string
	files map[string]string
	// remove deletes default files.
	remove []string
	// customers and logs are the paths in the case file (default c.csv,
	// l.jsonl); acct is the account number column (default acct).
	customers, logs, acct string
	// setup prepares things writeCase cannot (links, directories).
	setup func(t *testing.T, dir string)
}

func badInputs(t *testing.T) []badInput {
	var manyLines strings.Builder
	for i := range 2000 {
		manyLines.WriteString(logLine(fmt.Sprintf("%d", 1672628645+i), "200", "10"))
	}
	full := string(gz(t, manyLines.String()))
	return []badInput{
		// Log files.
		{name: "log: empty file", files: map[string]string{"l.jsonl": ""}},
		{name: "log: only blank lines", files: map[string]string{"l.jsonl": "\n\n   \n\t\n"}},
		{name: "log: UTF-16 with BOM", files: map[string]string{"l.jsonl": utf16LE(goodLine + "\n" + goodLine + "\n")}},
		{name: "log: Latin-1 byte in a line", files: map[string]string{"l.jsonl": goodLine + "\n" + strings.Replace(goodLine, "/a/100", "/a/caf\xe9", 1) + "\n"}},
		{name: "log: binary file", files: map[string]string{"l.jsonl": randomBytes(4096)}},
		{name: "log: NUL byte inside a line", files: map[string]string{"l.jsonl": strings.Replace(goodLine, "/a/100", "/a/1\x0000", 1) + "\n"}},
		{name: "log: line over 1 MiB", files: map[string]string{"l.jsonl": goodLine + "\n" + `{"p":"` + strings.Repeat("x", MaxLineBytes+10) + `"}` + "\n" + goodLine + "\n"}},
		{name: "log: truncated gzip", files: map[string]string{"l.jsonl.gz": full[:len(full)/2]}, remove: []string{"l.jsonl"}, logs: "l.jsonl*"},
		{name: "log: gzip magic then garbage", files: map[string]string{"l.jsonl": "\x1f\x8b" + randomBytes(200)}},
		{name: "log: .gz name, plain text", files: map[string]string{"l.jsonl.gz": goodLine + "\n"}, logs: "l.jsonl.gz"},
		{name: "log: BOM and CRLF", files: map[string]string{"l.jsonl": "\xef\xbb\xbf" + goodLine + "\r\n" + goodLine + "\r\n"}},
		{name: "log: absurd and impossible times", files: map[string]string{"l.jsonl": logLine(`"9999-12-31T23:59:59Z"`, "200", "1") +
			logLine(`"1900-01-01T00:00:00Z"`, "200", "1") + logLine(`"0001-01-01T00:00:00Z"`, "200", "1") +
			logLine(`0`, "200", "1") + logLine(`-1`, "200", "1") + logLine(`253402300800000`, "200", "1") +
			logLine(`1e20`, "200", "1") + logLine(`"2023-02-30T00:00:00Z"`, "200", "1") +
			logLine(`"2023-01-01T25:00:00Z"`, "200", "1") + logLine(`"2023-01-01T00:00:00+25:00"`, "200", "1") +
			logLine(`""`, "200", "1") + logLine(`null`, "200", "1") + logLine(`{"a":1}`, "200", "1")}},
		{name: "log: bad sizes and statuses", files: map[string]string{"l.jsonl": logLine(`1672628645`, "200", "-1") +
			logLine(`1672628645`, "200", "1e30") + logLine(`1672628645`, "200", `"12abc"`) + logLine(`1672628645`, "200", "1.5") +
			logLine(`1672628645`, "99999", "1") + logLine(`1672628645`, "-200", "1") + logLine(`1672628645`, "200.5", "1") +
			logLine(`1672628645`, `"200 OK"`, "1") + logLine(`1672628645`, "null", "null")}},
		{name: "log: wrong JSON types", files: map[string]string{"l.jsonl": `{"ts":1672628645,"m":["GET"],"p":"/a/100","s":200}` + "\n" +
			`{"ts":1672628645,"m":"GET","p":123,"s":200}` + "\n" + `{"ts":1672628645,"m":"GET","p":{"x":1},"s":200}` + "\n" +
			`{"ts":true,"m":"GET","p":"/a/100","s":200}` + "\n"}},
		{name: "log: duplicate keys in a line", files: map[string]string{"l.jsonl": `{"ts":1672628645,"m":"GET","p":"/a/1","p":"/a/2","s":200}` + "\n"}},
		{name: "log: duplicate lines", files: map[string]string{"l.jsonl": goodLine + "\n" + goodLine + "\n"}},
		{name: "log: deeply nested JSON", files: map[string]string{"l.jsonl": goodLine + "\n" + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n" + goodLine + "\n"}},

		// Customer files.
		{name: "customers: empty file", files: map[string]string{"e.csv": ""}, customers: "e.csv"},
		{name: "customers: header only", files: map[string]string{"c.csv": "id,acct\n"}},
		{name: "customers: BOM and CRLF", files: map[string]string{"c.csv": "\xef\xbb\xbfid,acct\r\n1,100\r\n2,200\r\n"}},
		{name: "customers: Latin-1 value", files: map[string]string{"c.csv": "id,acct,name\n1,100,caf\xe9\n2,200,ok\n"}},
		{name: "customers: UTF-16 file", files: map[string]string{"c.csv": utf16LE(goodCustomers)}},
		{name: "customers: binary file", files: map[string]string{"c.csv": randomBytes(4096)}},
		{name: "customers: unterminated quote", files: map[string]string{"c.csv": "id,acct\n1,\"100\n2,200\n3,300\n"}},
		{name: "customers: blank lines", files: map[string]string{"c.csv": "id,acct\n\n1,100\n\n2,200\n\n"}},
		{name: "customers: columns differing only by case", files: map[string]string{"c.csv": "id,acct,ACCT\n1,100,999\n2,200,998\n"}},
		{name: "customers: mapped name matches two columns by case", files: map[string]string{"c.csv": "id,acct,ACCT\n1,100,999\n2,200,998\n"}, acct: "Acct"},
		{name: "customers: column name holding a semicolon and a newline", files: map[string]string{"c.csv": "id,\"a;\ncct\"\n1,100\n2,200\n"}, acct: `"a;\ncct"`},
		{name: "customers: no header row", files: map[string]string{"c.csv": "1,100\n2,200\n"}},
		{name: "customers: duplicate column names", files: map[string]string{"c.csv": "id,acct,acct\n1,100,999\n2,200,998\n"}},
		{name: "customers: ids equal after trimming", files: map[string]string{"c.csv": "id,acct\n1,100\n\" 1 \",200\n"}},
		{name: "customers: semicolon file declared csv", files: map[string]string{"c.csv": "id;acct\n1;100\n2;200\n"}},
		{name: "customers: glob matches only a directory", remove: []string{"c.csv"}, setup: func(t *testing.T, dir string) {
			if err := os.Mkdir(filepath.Join(dir, "c.csv"), 0o700); err != nil {
				t.Fatal(err)
			}
		}},

		// Paths and globs.
		{name: "path: ../ outside the case directory", logs: "../outside/*.jsonl", setup: func(t *testing.T, dir string) {
			writeFileAt(t, filepath.Join(filepath.Dir(dir), "outside", "x.jsonl"), goodLine+"\n")
		}},
		{name: "path: symlink to a file outside the case", remove: []string{"l.jsonl"}, setup: func(t *testing.T, dir string) {
			target := filepath.Join(filepath.Dir(dir), "elsewhere.jsonl")
			writeFileAt(t, target, goodLine+"\n")
			if err := os.Symlink(target, filepath.Join(dir, "l.jsonl")); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "path: glob syntax error", logs: "l[.jsonl"},
		{name: "path: glob matching every file of the case", logs: "*"},
	}
}

func writeFileAt(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestBadInputInventory ingests every kind of bad input in
// docs/bad-input.md and compares what became of it (the error, or every
// file's accounting, rejection reasons and accepted times) with
// testdata/badinput.golden; -update rewrites it.
func TestBadInputInventory(t *testing.T) {
	var out strings.Builder
	for _, tc := range badInputs(t) {
		files := map[string]string{"c.csv": goodCustomers, "l.jsonl": goodLine + "\n"}
		for k, v := range tc.files {
			files[k] = v
		}
		for _, k := range tc.remove {
			delete(files, k)
		}
		cust, logs, acct := tc.customers, tc.logs, tc.acct
		if cust == "" {
			cust = "c.csv"
		}
		if logs == "" {
			logs = "l.jsonl"
		}
		if acct == "" {
			acct = "acct"
		}
		files["case.yaml"] = fmt.Sprintf(badCase, cust, acct, logs)
		root := t.TempDir()
		dir := filepath.Join(root, "case")
		for name, content := range files {
			writeFileAt(t, filepath.Join(dir, name), content)
		}
		if tc.setup != nil {
			tc.setup(t, dir)
		}
		fmt.Fprintf(&out, "## %s\n", tc.name)
		c, err := casefile.Load(dir)
		if err != nil {
			fmt.Fprintf(&out, "case file error: %s\n\n", strings.ReplaceAll(err.Error(), root, "<tmp>"))
			continue
		}
		db, err := store.Open(context.Background(), "", store.Options{TempDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(context.Background(), db, c)
		db2 := db
		defer db2.Close()
		if err != nil {
			fmt.Fprintf(&out, "error: %s\n\n", strings.ReplaceAll(err.Error(), root, "<tmp>"))
			continue
		}
		for _, in := range res.Inputs {
			if in.Read != in.Accepted+in.Rejected {
				t.Errorf("%s: %s: read %d != accepted %d + rejected %d", tc.name, in.Path, in.Read, in.Accepted, in.Rejected)
			}
		}
		out.WriteString(strings.ReplaceAll(
			dump(t, db, "SELECT kind, path, rows_read AS read, rows_accepted AS accepted, rows_rejected AS rejected, warning FROM inputs ORDER BY input_id")+
				dump(t, db, "SELECT reason, count(*) AS n FROM rejects GROUP BY reason ORDER BY reason")+
				dump(t, db, "SELECT count(*) AS accepted, min(ts) AS first, max(ts) AS last FROM access")+
				dump(t, db, "SELECT strftime(ts, '%Y-%m-%d %H:%M:%S') AS time, method, path, status, bytes FROM access ORDER BY event_id LIMIT 15")+
				dump(t, db, "SELECT customer_id, account_number FROM customers ORDER BY input_id, source_record"),
			root, "<tmp>"))
		out.WriteString("\n")
	}
	got := visible(out.String())
	path := filepath.Join("testdata", "badinput.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("bad-input outcomes differ from %s (-want +got):\n%s", path, diff)
	}
}

// visible escapes control bytes (other than tab and newline) so the golden
// file stays text.
func visible(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' || r == 0x7f {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
