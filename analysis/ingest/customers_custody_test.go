package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/store"
)

// custodyCase writes a case (badCase with the given customer path, account
// column and log path) plus files into a fresh directory, ingests it into
// the case's own database file and returns the directory, the open
// database and Run's outcome.
func custodyCase(t *testing.T, cust, acct, logs string, files map[string]string) (string, *store.DB, *Result, error) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "case")
	caseFile := fmt.Sprintf(badCase, cust, acct, logs)
	if strings.HasSuffix(cust, ".tsv") {
		caseFile = strings.Replace(caseFile, "format: csv", "format: tsv", 1)
	}
	all := map[string]string{"c.csv": goodCustomers, "l.jsonl": goodLine + "\n", "case.yaml": caseFile}
	for k, v := range files {
		all[k] = v
	}
	for name, content := range all {
		writeFileAt(t, filepath.Join(dir, name), content)
	}
	c, err := casefile.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), filepath.Join(dir, "case.duckdb"), store.Options{TempDir: filepath.Join(dir, ".tmp")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	res, err := Run(context.Background(), db, c)
	return dir, db, res, err
}

// TestMappedColumnChoice: a mapped name picks the column of exactly that
// name; else the one column equal to it ignoring case; two candidates are
// an error naming both (never a silent pick), and so is a mapped name the
// header holds twice. DuckDB renames repeated names (acct_1, ACCT_1): the
// header as written decides, so "ACCT" reads the third column, not the
// second.
func TestMappedColumnChoice(t *testing.T) {
	for _, tc := range []struct {
		name, header, acct string
		want               string // account numbers of customers 1 and 2, or the error's words
		err                error
	}{
		{"exact lower case", "id,acct,ACCT", "acct", "100 200", nil},
		{"exact upper case", "id,acct,ACCT", "ACCT", "999 998", nil},
		{"one match by case", "id,ACCT,plan", "acct", "100 200", nil},
		{"two matches by case", "id,acct,ACCT", "Acct", `"Acct" (for account_number) matches columns 2 "acct" and 3 "ACCT" only by case`, ErrAmbiguousColumn},
		{"mapped name twice", "id,acct,acct", "acct", `"acct" (for account_number) is the name of columns 2 "acct" and 3 "acct"`, ErrAmbiguousColumn},
		{"mapped name twice by case only", "id,ACCT,acct,acct", "acct", `is the name of columns 3 "acct" and 4 "acct"`, ErrAmbiguousColumn},
		{"a real column named like DuckDB's renaming", "id,acct,acct_1,acct", "acct_1", "999 998", nil},
		{"unmapped name twice", "id,acct,x,x", "acct", "100 200", nil},
		{"missing", "id,account", "acct", `column "acct" (for account_number) not in the file`, ErrMissingColumn},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows := []string{tc.header}
			extra := strings.Count(tc.header, ",") - 1
			for k, v := range [][2]string{{"100", "999"}, {"200", "998"}} {
				row := fmt.Sprintf("%d,%s", k+1, v[0])
				if extra > 0 {
					row += "," + v[1] + strings.Repeat(",z", extra-1)
				}
				rows = append(rows, row)
			}
			_, db, _, err := custodyCase(t, "c.csv", tc.acct, "l.jsonl", map[string]string{"c.csv": strings.Join(rows, "\n") + "\n"})
			if tc.err != nil {
				if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "ingest c.csv") {
					t.Fatalf("got %v, want %v naming %s", err, tc.err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(strings.Fields(dump(t, db, "SELECT account_number FROM customers ORDER BY customer_id")), " ")
			if got != "account_number "+tc.want {
				t.Errorf("account numbers: %q, want %q", got, tc.want)
			}
		})
	}
}

// TestEmptyCustomerFile: a file of 0 bytes is reported as empty, not as a
// file whose columns are "column0".
func TestEmptyCustomerFile(t *testing.T) {
	_, _, _, err := custodyCase(t, "e.csv", "acct", "l.jsonl", map[string]string{"e.csv": ""})
	if !errors.Is(err, ErrEmptyFile) || !strings.Contains(err.Error(), "ingest e.csv: the file is empty (0 bytes") {
		t.Fatalf("got %v, want %v", err, ErrEmptyFile)
	}
}

// TestUnterminatedQuote: a quoted value that is never closed swallows the
// records after it (DuckDB rejects one record for them all, or resumes at
// the next quote having lost one without counting it), so the file cannot
// be accounted for: the ingest fails naming the line, whether the quote
// breaks DuckDB's dialect detection (early in the file) or not (late).
func TestUnterminatedQuote(t *testing.T) {
	var late strings.Builder
	late.WriteString("id,acct\n")
	for k := 1; k <= 30000; k++ {
		if k == 25000 {
			fmt.Fprintf(&late, "%d,\"%d\n", k, k*7)
			continue
		}
		fmt.Fprintf(&late, "%d,\"%d\"\n", k, k*7)
	}
	for _, tc := range []struct {
		name, content, line string
	}{
		{"early: the dialect cannot be detected", "id,acct\n1,\"100\n2,200\n3,300\n", "line 2:"},
		{"late: after the sniffed sample", late.String(), "line 25001:"},
		{"tab-separated", "id\tacct\n1\t100\n2\t\"200\n3\t300\n", "line 3:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := "c.csv"
			if strings.Contains(tc.content, "\t") {
				name = "c.tsv"
			}
			_, _, _, err := custodyCase(t, name, "acct", "l.jsonl", map[string]string{name: tc.content})
			if !errors.Is(err, ErrUnterminatedQuote) || !strings.Contains(err.Error(), "ingest "+name+": "+tc.line) {
				t.Fatalf("got %v, want %v at %s", err, ErrUnterminatedQuote, tc.line)
			}
		})
	}
}

// TestCaseFilesAreNotInputs: globs never read the case's own files (case
// file, database and its log, reference secret, runs/, .tmp/), even "*";
// a customer or log source says which it left out; a glob matching only them
// matches "no file".
func TestCaseFilesAreNotInputs(t *testing.T) {
	own := map[string]string{
		"reference.key":                "0123456789abcdef\n",
		"runs/r1/notify/mail-0001.csv": "reference_code,name\nX-1,Jane Roe\n",
		"runs/r1/timeline.jsonl":       goodLine + "\n",
		".tmp/spill.bin":               "spill",
	}
	t.Run("logs *", func(t *testing.T) {
		_, _, res, err := custodyCase(t, "c.csv", "acct", "*", own)
		if err != nil {
			t.Fatal(err)
		}
		var paths []string
		for _, i := range res.Inputs {
			paths = append(paths, i.Kind+":"+i.Path)
		}
		// case.yaml, case.duckdb and reference.key are left out.
		if got, want := strings.Join(paths, " "), "customers:c.csv logs:c.csv logs:l.jsonl"; got != want {
			t.Errorf("inputs %s, want %s", got, want)
		}
		// The log source says so on its first file, as a customer source does.
		if w := res.Inputs[1].Warning; !strings.Contains(w, "of the case's own file(s), not read: ") || !strings.Contains(w, "case.yaml") {
			t.Errorf("first log input's warning %q does not name the case's own files", w)
		}
	})
	t.Run("customers glob, with a note", func(t *testing.T) {
		_, _, res, err := custodyCase(t, "c*", "acct", "l.jsonl", own)
		if err != nil {
			t.Fatal(err)
		}
		// case.duckdb.wal too while it exists (until a checkpoint).
		first := res.Inputs[0]
		if first.Path != "c.csv" || !strings.HasPrefix(first.Warning, "the path also matches ") ||
			!strings.Contains(first.Warning, "of the case's own file(s), not read: case.duckdb, ") || !strings.HasSuffix(first.Warning, "case.yaml") {
			t.Errorf("first input %s, warning %q", first.Path, first.Warning)
		}
	})
	t.Run("only the case's own files", func(t *testing.T) {
		_, _, _, err := custodyCase(t, "c.csv", "acct", "runs/*/*.jsonl", own)
		if !errors.Is(err, ErrNoFiles) || !strings.Contains(err.Error(), "but the case's own files (runs/r1/timeline.jsonl)") {
			t.Fatalf("got %v, want %v naming runs/r1/timeline.jsonl", err, ErrNoFiles)
		}
	})
	t.Run("a reference secret of another name", func(t *testing.T) {
		dir := t.TempDir()
		writeFileAt(t, filepath.Join(dir, "keys", "other.key"), "fedcba9876543210\n")
		writeFileAt(t, filepath.Join(dir, "keys", "notes.txt"), "x\n")
		files, left, err := expandOwn(dir, "keys/*", caseFiles(dir, "", filepath.Join(dir, "keys", "other.key")))
		if err != nil || len(files) != 1 || filepath.Base(files[0]) != "notes.txt" || strings.Join(left, " ") != "keys/other.key" {
			t.Fatalf("files %v, left out %v, err %v", files, left, err)
		}
	})
}

// TestExpandLeavesOutCaseFiles checks expand (the glob every source uses)
// on its own: the default names of the database, its log and the secret.
func TestExpandLeavesOutCaseFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"case.yaml", "case.duckdb", "case.duckdb.wal", "reference.key", "a.jsonl", "runs/x/b.jsonl", ".tmp/c"} {
		writeFileAt(t, filepath.Join(dir, name), "x\n")
	}
	got, err := expand(dir, "*")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || filepath.Base(got[0]) != "a.jsonl" {
		t.Errorf("expand(*) = %v, want only a.jsonl", got)
	}
	abs, err := expand(dir, filepath.Join(dir, "case.*"))
	if !errors.Is(err, ErrNoFiles) {
		t.Errorf("an absolute glob of the database: %v, %v", abs, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "runs", "x", "b.jsonl")); err != nil {
		t.Fatal(err)
	}
	if got, err := expand(dir, "runs/*/*.jsonl"); !errors.Is(err, ErrNoFiles) {
		t.Errorf("expand(runs/*/*.jsonl) = %v, %v", got, err)
	}
}

// TestRecordNumbersFollowFile: a customer file read on several threads (it
// spans many of the reader's 1 MiB buffers) still numbers its records in
// file order, including the records quarantined for an empty id; and a
// file with its own column named rowid (which hides DuckDB's row id) is
// numbered the same way.
func TestRecordNumbersFollowFile(t *testing.T) {
	const records = 300_000
	for _, header := range []string{"id,acct,note", "rowid,id,acct,note", "id,acct,ROWID"} {
		t.Run(header, func(t *testing.T) {
			var b strings.Builder
			b.WriteString(header + "\n")
			cols := strings.Split(header, ",")
			for k := 1; k <= records; k++ {
				for c, name := range cols {
					if c > 0 {
						b.WriteByte(',')
					}
					switch strings.ToLower(name) {
					case "id":
						if k%50_000 != 0 { // every 50,000th record has no id
							fmt.Fprint(&b, k)
						}
					case "acct":
						fmt.Fprint(&b, k*10)
					default:
						fmt.Fprintf(&b, "n%d", records-k)
					}
				}
				b.WriteByte('\n')
			}
			_, db, _, err := custodyCase(t, "c.csv", "acct", "l.jsonl", map[string]string{"c.csv": b.String()})
			if err != nil {
				t.Fatal(err)
			}
			got := dump(t, db, `SELECT count(*) AS records, count(*) FILTER (WHERE source_record <> CAST(customer_id AS BIGINT)) AS misnumbered
				FROM customer_records`)
			if want := fmt.Sprintf("records\tmisnumbered\n%d\t0\n", records-records/50_000); got != want {
				t.Errorf("customer records:\n%s\nwant\n%s", got, want)
			}
			got = dump(t, db, "SELECT reason FROM rejects ORDER BY reason")
			if want := "reason\nempty customer id (record 100000)\nempty customer id (record 150000)\nempty customer id (record 200000)\nempty customer id (record 250000)\nempty customer id (record 300000)\nempty customer id (record 50000)\n"; got != want {
				t.Errorf("rejects:\n%s\nwant\n%s", got, want)
			}
		})
	}
}
