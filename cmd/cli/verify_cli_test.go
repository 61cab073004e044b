package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/breachscope/breachscope/analysis/verify"
)

// TestVerifyCommand checks verify's exit codes and both output forms on a
// clean run, a tampered run and a directory that is not a run.
func TestVerifyCommand(t *testing.T) {
	dir := copySample(t)
	mustRun(t, "run", "--quiet", "--run-id", "v", dir)
	run := filepath.Join(dir, "runs", "v")

	m := readManifest(t, run)
	out := mustRun(t, "verify", run)
	checked := fmt.Sprintf("checked      %d output(s), %d input(s) and the case file", len(m.Outputs), len(m.Inputs))
	if !strings.Contains(out, checked) || !strings.Contains(out, "every file matches") {
		t.Errorf("clean run:\n%s", out)
	}

	if err := os.WriteFile(filepath.Join(run, "data", "exposed_customers.parquet"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "logs", "api-2023-01.jsonl")); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "verify", run)
	if code != ExitVerify {
		t.Fatalf("exit %d, want %d\n%s%s", code, ExitVerify, out, errOut)
	}
	for _, want := range []string{"data/exposed_customers.parquet", "size differs", "logs/api-2023-01.jsonl", "missing"} {
		if !strings.Contains(out, want) || !strings.Contains(errOut, want) {
			t.Errorf("stdout and stderr must name %q:\n%s%s", want, out, errOut)
		}
	}

	code, out, _ = runCLI(t, "verify", "--json", run)
	var res verify.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != ExitVerify {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	if len(res.Problems) != 2 || res.Problems[0].Path != "data/exposed_customers.parquet" || res.Problems[1].Path != "logs/api-2023-01.jsonl" {
		t.Errorf("problems: %+v", res.Problems)
	}

	if code, _, errOut := runCLI(t, "verify", filepath.Join(dir, "runs", "missing")); code != ExitFailure || !strings.Contains(errOut, "no such file") {
		t.Errorf("a missing run directory: exit %d: %s", code, errOut)
	}
	if code, _, _ := runCLI(t, "verify"); code != ExitUsage {
		t.Errorf("verify without a run directory: exit %d", code)
	}
}
