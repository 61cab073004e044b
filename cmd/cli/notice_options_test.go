package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/breachscope/breachscope/analysis/report"
)

// TestNoticeOptions: notice.csv.bom and delimiter shape every notification
// file, and notice.rules_file overrides a row of the shipped jurisdiction
// rules (here making every exposure in Ohio require notice).
func TestNoticeOptions(t *testing.T) {
	dir := copySample(t)
	rules := "code,name,triggers,regulator,regulator_threshold,regulator_deadline_days,cra_threshold,deadline_days,citation,source_url,as_of,notes\n" +
		"US-OH,Ohio (case override),name,Attorney General,1,10,,20,case override for testing,https://example.com/override,2026-11-24,\n"
	if err := os.WriteFile(filepath.Join(dir, "override.csv"), []byte(rules), 0o600); err != nil {
		t.Fatal(err)
	}
	caseFile := filepath.Join(dir, "case.yaml")
	b := mustRead(t, caseFile)
	edited := strings.Replace(string(b), "notice:\n", "notice:\n  csv: {bom: true, delimiter: \";\"}\n  rules_file: override.csv\n", 1)
	if err := os.WriteFile(caseFile, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "run", "--quiet", "--run-id", "o", dir)
	run := filepath.Join(dir, "runs", "o")
	for _, f := range []string{report.MailBatchName(1), report.EmailCSV, report.SubstituteCSV} {
		content := string(mustRead(t, filepath.Join(run, f)))
		if !strings.HasPrefix(content, "\xef\xbb\xbfreference_code;letter_version;") {
			t.Errorf("%s does not start with a BOM and a ;-separated header: %q", f, content[:min(40, len(content))])
		}
	}
	ohio := queryRows(t, "SELECT count(*), count(*) FILTER (WHERE notice_required), min(notice_reason) FROM read_parquet('"+
		filepath.Join(run, report.PeopleParquet)+"') WHERE jurisdiction = 'US-OH'")[0]
	if ohio[0] == "0" || ohio[0] != ohio[1] || ohio[2] != "name" {
		t.Errorf("Ohio people %s, notice required %s (%s): the override did not apply", ohio[0], ohio[1], ohio[2])
	}
	if out, err := os.ReadFile(filepath.Join(run, report.ManifestJSON)); err != nil || !strings.Contains(string(out), `"csv_bom": true`) {
		t.Errorf("manifest does not record the BOM option: %v", err)
	}
}
