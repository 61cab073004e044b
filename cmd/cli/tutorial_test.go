package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/report"
	"github.com/breachscope/breachscope/analysis/scaffold"
	"github.com/breachscope/breachscope/analysis/synth"
)

// tutorialColumns renames the synthetic customer table's columns the way
// another company's export might name them.
var tutorialColumns = map[string]string{
	"cust_id": "CustomerNumber", "first_name": "GivenName", "last_name": "Surname", "street": "StreetAddress",
	"unit": "Unit", "city": "Town", "state": "Region", "zip": "PostCode", "country": "CountryCode",
	"email": "EmailAddr", "phone": "MobileNo", "dob": "BirthDate", "account_no": "AcctNo", "plan": "PlanName", "deceased": "DeceasedFlag",
}

// TestTutorial is the README's tutorial, performed: a synthetic case whose
// files are renamed and whose customer columns have other names goes
// through init, an edit of only the lines init marked GUESS or TODO, check
// and run, and the run's answer is exactly the known one.
func TestTutorial(t *testing.T) {
	// Relative paths, as in the README: the analyst works in one directory.
	work := t.TempDir()
	t.Chdir(work)
	src := "synth"
	want, err := synth.Generate(context.Background(), src, synth.Options{Seed: 7, Customers: 1000})
	if err != nil {
		t.Fatal(err)
	}
	// The evidence as it arrives: exports/subscriber_extract.csv and
	// exports/gateway/gw-*.log[.gz].
	exports := "exports"
	gateway := filepath.Join(exports, "gateway")
	if err := os.MkdirAll(gateway, 0o700); err != nil {
		t.Fatal(err)
	}
	renameCustomerColumns(t, filepath.Join(src, "customers.csv"), filepath.Join(exports, "subscriber_extract.csv"))
	logs, _ := filepath.Glob(filepath.Join(src, "logs", "api-*"))
	for _, l := range logs {
		name := strings.Replace(strings.Replace(filepath.Base(l), "api-", "gw-", 1), ".jsonl", ".log", 1)
		if err := os.Rename(l, filepath.Join(gateway, name)); err != nil {
			t.Fatal(err)
		}
	}

	// 1. init, with the file list a shell expands from exports/gateway/*.
	caseDir := "acme-breach"
	gw, _ := filepath.Glob(filepath.Join(gateway, "*"))
	out := mustRun(t, append([]string{"init", caseDir, "--customers", filepath.Join(exports, "subscriber_extract.csv"), "--logs"}, gw...)...)
	if !strings.Contains(out, "2 proposed") {
		t.Errorf("init summary:\n%s", out)
	}
	written := string(mustRead(t, filepath.Join(caseDir, casefile.FileName)))

	// 2. The analyst's edits: only lines init marked. The answers come from
	// the incident (and are the synthetic case's own).
	truth, err := casefile.Load(src)
	if err != nil {
		t.Fatal(err)
	}
	win := truth.Scope.Window
	ed := &editor{t: t, lines: strings.Split(written, "\n")}
	ed.set("", "# plan: PlanName", "        plan: PlanName")
	ed.set("path: /api/v1/accounts/{account_number}", "exposes: []", "    exposes: [name, address, email, phone, date_of_birth, account_number, plan]")
	ed.set("path: /api/v1/lines", "exposes: []", "    exposes: [name, phone]")
	ed.set("window:", "start:", "    start: "+win.Start)
	ed.set("window:", "end:", "    end: "+win.End)
	ed.set("", "ips: []", fmt.Sprintf("  ips: [%s]", strings.Join(truth.Scope.IPs, ", ")))
	ed.set("", "principals: []", fmt.Sprintf("  principals: [%s]", strings.Join(truth.Scope.Principals, ", ")))
	ed.set("account_number:", "leading_zeros:", "    leading_zeros: ignore")
	if win.Start != "2022-11-25T00:00:00Z" || strings.Join(truth.Scope.IPs, ",") != "203.0.113.0/24" || strings.Join(truth.Scope.Principals, ",") != "key-partner-7731" {
		t.Errorf("the synthetic case changed; update the tutorial in README.md: %+v", truth.Scope)
	}
	edited := strings.Join(ed.lines, "\n")
	if err := os.WriteFile(filepath.Join(caseDir, casefile.FileName), []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	// 3. check, then 4. run.
	out = mustRun(t, "check", caseDir)
	for _, want := range []string{"0 failed", "parsed (99.", "identifiers get-accounts", "scope in scope"} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	mustRun(t, "run", "--quiet", "--run-id", "tutorial", caseDir)
	run := filepath.Join(caseDir, "runs", "tutorial")
	m := readManifest(t, run)
	if m.Counts.ExposedCustomers != int64(want.ExposedCustomers) || m.Counts.InScope != int64(want.InScope) ||
		m.Counts.Matched != int64(want.Matched) || m.Counts.NoEndpoint != int64(want.NoEndpoint) {
		t.Errorf("counts differ from the known answer: got %+v, want %+v", m.Counts, want)
	}
	wantRows := readCSV(t, filepath.Join(src, "expected", "exposed.csv"))
	gotRows := queryRows(t, fmt.Sprintf(`
		SELECT customer_id, array_to_string(elements, '|'), CAST(requests AS VARCHAR),
		  strftime(first_exposed, '%%Y-%%m-%%dT%%H:%%M:%%SZ'), strftime(last_exposed, '%%Y-%%m-%%dT%%H:%%M:%%SZ')
		FROM read_parquet('%s') ORDER BY customer_id`, filepath.Join(run, report.ExposedParquet)))
	if diff := cmp.Diff(wantRows[1:], gotRows); diff != "" {
		t.Errorf("exposed customers differ from the known answer (-want +got):\n%s", diff)
	}
}

// editor replaces lines of a case file the way the analyst does, refusing
// to touch a line init did not mark.
type editor struct {
	t       *testing.T
	lines   []string
	touched map[int]bool
}

// set replaces the first line containing target after the first line
// containing anchor ("" for the top) with line.
func (e *editor) set(anchor, target, line string) {
	e.t.Helper()
	if e.touched == nil {
		e.touched = map[int]bool{}
	}
	start := 0
	if anchor != "" {
		start = -1
		for i, l := range e.lines {
			if strings.Contains(l, anchor) {
				start = i
				break
			}
		}
		if start < 0 {
			e.t.Fatalf("case.yaml has no line with %q", anchor)
		}
	}
	for i := start; i < len(e.lines); i++ {
		l := e.lines[i]
		if !strings.Contains(l, target) {
			continue
		}
		if !strings.Contains(l, scaffold.MarkGuess) && !strings.Contains(l, scaffold.MarkTODO) {
			e.t.Fatalf("line %d %q is not marked GUESS or TODO: the tutorial may edit only marked lines", i+1, l)
		}
		e.lines[i] = line
		e.touched[i] = true
		return
	}
	e.t.Fatalf("case.yaml has no line with %q after %q", target, anchor)
}

func renameCustomerColumns(t *testing.T, from, to string) {
	t.Helper()
	b := mustRead(t, from)
	header, rest, _ := strings.Cut(string(b), "\n")
	cols := strings.Split(header, ",")
	for i, c := range cols {
		n, ok := tutorialColumns[c]
		if !ok {
			t.Fatalf("synthetic customer column %q has no tutorial name", c)
		}
		cols[i] = n
	}
	if err := os.WriteFile(to, []byte(strings.Join(cols, ",")+"\n"+rest), 0o600); err != nil {
		t.Fatal(err)
	}
}
