package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/breachscope/breachscope/analysis/report"
)

// The tests in this file check outputs with the programs their readers
// use. .ci/run installs them; locally a missing one skips with a message,
// in CI it fails.

func needTool(t *testing.T, what, install string, ok bool) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not installed; .ci/run installs it (%s)", what, install)
	}
	t.Skipf("%s is not installed (%s); skipping", what, install)
}

func haveCmd(name string) bool {
	_, err := exec.LookPath(name)
	return err == nil
}

// clientRun is one run of the sample case shared by the client tests.
func clientRun(t *testing.T) (string, *report.Manifest) {
	t.Helper()
	dir := copySample(t)
	mustRun(t, "run", "--quiet", "--run-id", "c", dir)
	run := filepath.Join(dir, "runs", "c")
	return run, readManifest(t, run)
}

// TestLibreOfficeRendersWorkbook converts the workbook to PDF with
// LibreOffice headless, as counsel would print it, and finds the summary
// numbers in the PDF's text.
func TestLibreOfficeRendersWorkbook(t *testing.T) {
	needTool(t, "LibreOffice and pdftotext", "apt-get install libreoffice-calc-nogui poppler-utils", haveCmd("soffice") && haveCmd("pdftotext"))
	run, m := clientRun(t)
	out := t.TempDir()
	cmd := exec.Command("soffice", "--headless", "-env:UserInstallation=file://"+filepath.Join(out, "profile"),
		"--convert-to", "pdf", "--outdir", out, filepath.Join(run, report.WorkbookXLSX))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, b)
	}
	text, err := exec.Command("pdftotext", "-layout", filepath.Join(out, "impact.pdf"), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, want := range []string{
		"Breach impact summary",
		"Customers exposed",
		"Every count and the equation it satisfies",
		"Attacker requests and newly exposed customers per day",
		"How these numbers were made",
	} {
		if !strings.Contains(string(text), strings.TrimSpace(want)) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	// The summary's numbers, as Calc formats them.
	for _, n := range []int64{m.Counts.ExposedCustomers, m.Counts.InScope, m.Counts.Matched} {
		if !strings.Contains(string(text), fmt.Sprint(n)) {
			t.Errorf("PDF text lacks the count %d", n)
		}
	}
}

// TestOpenpyxlReadsEverySheet reads the workbook with openpyxl (Debian's
// python3-openpyxl) and checks its values against the run.
func TestOpenpyxlReadsEverySheet(t *testing.T) {
	py := "/usr/bin/python3"
	ok := exec.Command(py, "-c", "import openpyxl").Run() == nil
	needTool(t, "python3-openpyxl", "apt-get install python3-openpyxl", ok)
	run, m := clientRun(t)
	b, err := exec.Command(py, filepath.Join("testdata", "clients", "read_xlsx.py"), filepath.Join(run, report.WorkbookXLSX)).Output()
	if err != nil {
		t.Fatalf("openpyxl: %v", err)
	}
	var sheets map[string][][]any
	if err := json.Unmarshal(b, &sheets); err != nil {
		t.Fatal(err)
	}
	table := func(name, firstHeader string) [][]any {
		rows := sheets[name]
		for i, r := range rows {
			if len(r) > 0 && r[0] == firstHeader {
				return rows[i+1:]
			}
		}
		t.Fatalf("sheet %q has no header %q", name, firstHeader)
		return nil
	}
	summary := map[string]float64{}
	for _, r := range table("Summary", "Measure") {
		if len(r) == 2 {
			summary[fmt.Sprint(r[0])], _ = r[1].(float64)
		}
	}
	if summary["Customers exposed"] != float64(m.Counts.ExposedCustomers) || summary["Attacker requests (in scope)"] != float64(m.Counts.InScope) {
		t.Errorf("Summary: %v", summary)
	}
	people := queryRows(t, fmt.Sprintf("SELECT count(*) FROM read_parquet('%s')", filepath.Join(run, report.PeopleParquet)))[0][0]
	if got := len(table("Individuals", "Reference code")); fmt.Sprint(got) != people {
		t.Errorf("Individuals rows %d, want %s people", got, people)
	}
	var newly, requests float64
	for _, r := range table("Timeline", "Day (UTC)") {
		requests += r[1].(float64)
		newly += r[3].(float64)
	}
	if newly != float64(m.Counts.ExposedCustomers) || requests != float64(m.Counts.InScope) {
		t.Errorf("Timeline sums: %v newly exposed, %v requests", newly, requests)
	}
	var perCombination float64 // people per combination
	for _, r := range table("Data elements", "Exposed data elements") {
		perCombination += r[2].(float64)
	}
	if fmt.Sprint(perCombination) != people {
		t.Errorf("Data elements sum %v, want %s people", perCombination, people)
	}
	for _, r := range table("Reconciliation", "Check") {
		if r[4] != true {
			t.Errorf("reconciliation row not holding: %v", r)
		}
	}
	for name := range sheets {
		if len(sheets[name]) == 0 {
			t.Errorf("sheet %q read as empty", name)
		}
	}
}

// TestArrowReadByNode reads the Arrow IPC file with the apache-arrow npm
// package, an implementation independent of the Go writer.
func TestArrowReadByNode(t *testing.T) {
	modules := os.Getenv("ARROW_JS_MODULES")
	_, err := os.Stat(filepath.Join(modules, "apache-arrow"))
	needTool(t, "node with apache-arrow", "npm install --prefix .ci/node apache-arrow; export ARROW_JS_MODULES=$PWD/.ci/node/node_modules",
		modules != "" && err == nil && haveCmd("node"))
	run, _ := clientRun(t)
	cmd := exec.Command("node", filepath.Join("testdata", "clients", "read_arrow.mjs"), filepath.Join(run, report.PeopleArrow))
	cmd.Env = append(os.Environ(), "ARROW_JS_MODULES="+modules)
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var got struct {
		Rows    int      `json:"rows"`
		Batches int      `json:"batches"`
		Fields  []string `json:"fields"`
		FirstID string   `json:"first_id"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	people := queryRows(t, fmt.Sprintf("SELECT count(*) FROM read_parquet('%s')", filepath.Join(run, report.PeopleParquet)))[0][0]
	if fmt.Sprint(got.Rows) != people {
		t.Errorf("rows %d, want %s people", got.Rows, people)
	}
	want := []string{"person_id:Utf8", "reference_code:Utf8", "letter_version:Utf8", "channel:Utf8", "jurisdiction:Utf8",
		"minor:Bool", "deceased:Bool", "records:Int64", "customer_ids:List<Utf8>", "elements:List<Utf8>", "phrase:Utf8"}
	if strings.Join(got.Fields, ",") != strings.Join(want, ",") {
		t.Errorf("schema %v", got.Fields)
	}
	rows := queryRows(t, fmt.Sprintf("SELECT min(person_id) FROM read_parquet('%s')", filepath.Join(run, report.PeopleParquet)))
	if got.FirstID != rows[0][0] {
		t.Errorf("first customer %q, parquet says %q", got.FirstID, rows[0][0])
	}
}

// TestTimelineJSONL checks timeline.jsonl has one Timesketch event per
// in-scope request with the fields Timesketch requires.
func TestTimelineJSONL(t *testing.T) {
	run, m := clientRun(t)
	lines := strings.Split(strings.TrimSpace(string(mustRead(t, filepath.Join(run, report.TimelineJSONL)))), "\n")
	if len(lines) != int(m.Counts.InScope) {
		t.Fatalf("%d events, want %d", len(lines), m.Counts.InScope)
	}
	for i, l := range lines {
		var ev map[string]any
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		for _, k := range []string{"message", "datetime", "timestamp_desc", "source_file", "source_line", "outcome"} {
			if _, ok := ev[k]; !ok {
				t.Fatalf("line %d lacks %s", i+1, k)
			}
		}
		if dt := ev["datetime"].(string); !strings.HasSuffix(dt, "Z") || len(dt) < 20 {
			t.Fatalf("line %d: datetime %q is not ISO-8601 UTC", i+1, dt)
		}
	}
}
