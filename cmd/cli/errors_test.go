package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestErrorsTeach covers the mistakes analysts most often make at the
// command line: each fails with the right exit code and a message that
// says what is wrong and what to do. (The case-file mistakes are in
// analysis/casefile's TestMistakes.)
func TestErrorsTeach(t *testing.T) {
	sample := copySample(t)
	edited := func(old, new string) string {
		dir := copySample(t)
		p := filepath.Join(dir, "case.yaml")
		b := mustRead(t, p)
		if !strings.Contains(string(b), old) {
			t.Fatalf("sample case.yaml lacks %q", old)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o600); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	badGlob := edited("path: logs/api-*.jsonl*", "path: log/api-*.jsonl*")
	badColumn := edited("        email: email", "        email: e_mail")
	missing := filepath.Join(t.TempDir(), "no-such-case")
	initDone := t.TempDir()
	if err := os.WriteFile(filepath.Join(initDone, "case.yaml"), []byte("version: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	customers := filepath.Join(sample, "customers.csv")
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"unknown command", []string{"rnu", sample}, ExitUsage, []string{`unknown command "rnu"`, `did you mean "run"?`}},
		{"unknown command, far from any", []string{"frobnicate"}, ExitUsage, []string{`unknown command "frobnicate"`, "commands: analyze, check"}},
		{"missing case directory", []string{"run", missing}, ExitUsage, []string{"case.yaml not found", "is " + missing + " a case directory?", "breachscope synth or init creates one"}},
		{"case directory forgotten", []string{"check"}, ExitUsage, []string{"accepts 1 arg(s), received 0", "see breachscope check --help"}},
		{"glob matches no file (run)", []string{"run", badGlob}, ExitFailure, []string{`"log/api-*.jsonl*"`, "matches no file", "check the path in case.yaml"}},
		{"glob matches no file (check)", []string{"check", badGlob}, ExitFailure, []string{`path "log/api-*.jsonl*" matches no file`}},
		{"missing column lists the columns (run)", []string{"run", badColumn}, ExitFailure, []string{`"e_mail"`, "its columns are:", "cust_id", "account_no"}},
		{"missing column lists the columns (check)", []string{"check", badColumn}, ExitFailure, []string{`no column "e_mail" (for email); its columns are: cust_id, first_name`}},
		{"init without logs", []string{"init", t.TempDir() + "/c", "--customers", customers}, ExitUsage, []string{"both --customers and --logs are required"}},
		{"init with the case directory last", []string{"init", "--customers", customers, "--logs", filepath.Join(sample, "logs")}, ExitUsage, []string{"give exactly one case directory before the flags"}},
		{"init glob matches nothing", []string{"init", t.TempDir() + "/c", "--customers", customers, "--logs", filepath.Join(sample, "logs", "*.log")}, ExitFailure, []string{"--logs", "*.log", "matches no file"}},
		{"init over an existing case", []string{"init", initDone, "--customers", customers, "--logs", filepath.Join(sample, "logs")}, ExitFailure, []string{"case file already exists", "--force"}},
		{"query before ingest", []string{"query", sample, "SELECT 1"}, ExitFailure, []string{"no case database", "run breachscope ingest (or run)"}},
		{"query without SQL", []string{"query", sample}, ExitUsage, []string{"give the case directory and one SQL statement in quotes"}},
		{"query --format typo", []string{"query", "--format", "xml", sample, "SELECT 1"}, ExitUsage, []string{`--format "xml": use table, csv or json`}},
		{"bad flag value", []string{"check", "--sample-lines", "many", sample}, ExitUsage, []string{`invalid argument "many" for "--sample-lines"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(out+errOut, w) {
					t.Errorf("output lacks %q:\nstdout: %s\nstderr: %s", w, out, errOut)
				}
			}
		})
	}
}

// TestQueryTeaches runs the query mistakes on an ingested case.
func TestQueryTeaches(t *testing.T) {
	dir := copySample(t)
	mustRun(t, "run", "--quiet", "--run-id", "q", dir)
	for _, tc := range []struct {
		sql  string
		code int
		want string
	}{
		{"DELETE FROM customers", ExitUsage, "query is read-only: DELETE statements are refused"},
		{"SELECT 1; DROP TABLE access", ExitUsage, "run one statement at a time"},
		{"COPY customers TO 'out.csv'", ExitUsage, "it cannot read or write files"},
		{"SELECT * FROM custmers", ExitFailure, `Did you mean "customers"`},
		{"SELECT emial FROM customers", ExitFailure, `"email"`},
	} {
		code, out, errOut := runCLI(t, "query", dir, tc.sql)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%q: exit %d (want %d), stderr %q lacks %q (stdout %q)", tc.sql, code, tc.code, errOut, tc.want, out)
		}
	}
}
