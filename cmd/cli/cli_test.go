package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExitCodes(t *testing.T) {
	dir := copySample(t)
	broken := copySample(t)
	caseFile := filepath.Join(broken, "case.yaml")
	b := mustRead(t, caseFile)
	if err := os.WriteFile(caseFile, []byte(strings.Replace(string(b), "        email: email", "        emial: email", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no args", []string{"run"}, ExitUsage, "accepts 1 arg(s)"},
		{"unknown flag", []string{"run", "--bogus", dir}, ExitUsage, "unknown flag: --bogus"},
		{"not a case dir", []string{"run", t.TempDir()}, ExitUsage, "case.yaml not found"},
		{"invalid case file", []string{"run", broken}, ExitUsage, `did you mean "email"?`},
		{"analyze before ingest", []string{"analyze", dir}, ExitFailure, "case not ingested"},
		{"bad memory limit", []string{"ingest", "--memory-limit", "lots", dir}, ExitFailure, "use a size such as 4GB"},
		{"help", []string{"run", "--help"}, ExitOK, "breachscope run samples/demo-case"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
			}
			if !strings.Contains(out+errOut, tc.want) {
				t.Errorf("output lacks %q:\nstdout: %s\nstderr: %s", tc.want, out, errOut)
			}
		})
	}
}

func TestReportBeforeAnalyze(t *testing.T) {
	dir := copySample(t)
	mustRun(t, "ingest", "--quiet", dir)
	code, _, errOut := runCLI(t, "report", dir)
	if code != ExitFailure || !strings.Contains(errOut, "case not analysed") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func TestChangedInputRefused(t *testing.T) {
	dir := copySample(t)
	mustRun(t, "ingest", "--quiet", dir)
	f, err := os.OpenFile(filepath.Join(dir, "logs", "api-2023-01.jsonl"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("{}\n")
	f.Close()
	code, _, errOut := runCLI(t, "analyze", dir)
	if code != ExitFailure || !strings.Contains(errOut, "logs/api-2023-01.jsonl: inputs changed since ingest") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	mustRun(t, "run", "--quiet", dir) // re-ingesting accepts the new input
}

func TestInterruptedRunPublishesNothing(t *testing.T) {
	dir := copySample(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb strings.Builder
	code := Run(ctx, []string{"run", "--run-id", "x", dir}, strings.NewReader(""), &out, &errb)
	if code != ExitInterrupted {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "runs", "x")); !os.IsNotExist(err) {
		t.Fatalf("an interrupted run was published: %v", err)
	}
}

func TestRunIDTaken(t *testing.T) {
	dir := copySample(t)
	mustRun(t, "run", "--quiet", "--run-id", "same", dir)
	code, _, errOut := runCLI(t, "run", "--run-id", "same", dir)
	if code != ExitFailure || !strings.Contains(errOut, "run already exists") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

// TestNoPIIInOutput runs every command on the sample and checks that no
// value from the customer table reaches stdout or stderr.
func TestNoPIIInOutput(t *testing.T) {
	dir := copySample(t)
	var all strings.Builder
	for _, args := range [][]string{
		{"ingest", dir}, {"analyze", dir}, {"report", "--run-id", "a", dir},
		{"run", "--run-id", "b", dir}, {"run", "--json", "--run-id", "c", dir},
	} {
		_, out, errOut := runCLI(t, args...)
		all.WriteString(out + errOut)
	}
	text := all.String()
	rows := readCSV(t, filepath.Join(dir, "customers.csv"))
	for _, row := range rows[1:] {
		for i, v := range row[1:] { // column 0 is the customer id, which may be printed
			if len(v) < 5 || i == 6 || i == 8 { // states, ZIP codes and countries are not identifying (and digits occur in hashes)
				continue
			}
			if strings.Contains(text, v) {
				t.Fatalf("customer value from column %d appears in CLI output", i+1)
			}
		}
	}
}
