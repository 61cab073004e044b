package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/synth"
	"github.com/breachscope/breachscope/analysis/triage"
)

// TestTriageFindsHiddenAttacker: on synthetic cases whose attacker is
// hidden among normal clients, the attacker ranks first for every kind, and
// the proposed scope block is a valid scope for the case file.
func TestTriageFindsHiddenAttacker(t *testing.T) {
	for _, seed := range []uint64{1, 5, 9} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "case")
			if _, err := synth.Generate(context.Background(), dir, synth.Options{Seed: seed, Customers: 2000}); err != nil {
				t.Fatal(err)
			}
			mustRun(t, "ingest", "--quiet", dir)
			scopeFile := filepath.Join(t.TempDir(), "scope.yaml")
			out := mustRun(t, "triage", "--json", "--write-scope", scopeFile, dir)
			var cands []triage.Candidate
			if err := json.Unmarshal([]byte(out), &cands); err != nil {
				t.Fatal(err)
			}
			first := map[string]string{}
			for _, c := range cands {
				if c.Rank == 1 {
					first[c.Kind] = c.Client
				}
			}
			if first["principal"] != "key-partner-7731" {
				t.Errorf("top principal %q", first["principal"])
			}
			if first["net24"] != "203.0.113.0/24" {
				t.Errorf("top /24 %q", first["net24"])
			}
			if !strings.HasPrefix(first["ip"], "203.0.113.") {
				t.Errorf("top ip %q", first["ip"])
			}
			if first["user_agent"] != "python-requests/2.28.1" {
				t.Errorf("top user agent %q", first["user_agent"])
			}
			// The proposal must parse as the scope of a case file.
			sample := string(mustRead(t, filepath.Join(dir, "case.yaml")))
			scope := string(mustRead(t, scopeFile))
			i := strings.Index(sample, "\nscope:")
			j := strings.Index(sample, "\nidentifiers:")
			if _, err := casefile.Parse(dir, "case.yaml", []byte(sample[:i+1]+scope+sample[j:])); err != nil {
				t.Errorf("proposed scope does not validate: %v\n%s", err, scope)
			}
		})
	}
}

func TestTriageTableHasNoCustomerData(t *testing.T) {
	dir := copySample(t)
	mustRun(t, "ingest", "--quiet", dir)
	out := mustRun(t, "triage", dir)
	if !strings.Contains(out, "key-partner-7731") || !strings.Contains(out, "DISTINCT IDS") {
		t.Fatalf("unexpected table:\n%s", out)
	}
	rows := readCSV(t, filepath.Join(dir, "customers.csv"))
	for _, row := range rows[1:] {
		for _, v := range []string{row[1] + " " + row[2], row[9], row[10]} {
			if len(v) > 4 && strings.Contains(out, v) {
				t.Fatal("customer data in triage output")
			}
		}
	}
}
