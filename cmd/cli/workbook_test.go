package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/breachscope/breachscope/analysis/report"
)

// TestWorkbookMatchesManifest reopens the legal workbook and checks its
// sheets and that the numbers counsel reads are the run's numbers.
func TestWorkbookMatchesManifest(t *testing.T) {
	dir := copySample(t)
	mustRun(t, "run", "--quiet", "--run-id", "w", dir)
	run := filepath.Join(dir, "runs", "w")
	m := readManifest(t, run)
	f, err := excelize.OpenFile(filepath.Join(run, report.WorkbookXLSX))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{"Summary", "Reconciliation", "Data elements", "Timeline", "Individuals", "Jurisdictions", "Letter versions", "Near misses",
		"Unmatched", "Unsuccessful", "Rejected input", "Methodology"}
	if got := f.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	summary := sheetMap(t, f, "Summary")
	for label, wantN := range map[string]int64{
		"Customers exposed":            m.Counts.ExposedCustomers,
		"Attacker requests (in scope)": m.Counts.InScope,
		"Log lines rejected":           m.Counts.LogLinesRejected,
		"Customer records":             m.Counts.CustomerRecords,
	} {
		if got := summary[label]; got != fmt.Sprint(wantN) {
			t.Errorf("Summary %q = %q, want %d", label, got, wantN)
		}
	}
	rec, err := f.GetRows("Reconciliation")
	if err != nil {
		t.Fatal(err)
	}
	held := 0
	for _, r := range rec {
		if len(r) == 5 && r[4] == "TRUE" {
			held++
		}
	}
	if held != len(m.Reconciliation) {
		t.Errorf("reconciliation rows holding: %d, want %d", held, len(m.Reconciliation))
	}
	unsuccessful, err := f.GetRows("Unsuccessful")
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, r := range unsuccessful {
		var n int64
		if len(r) == 4 && r[1] != "Status" {
			if _, err := fmt.Sscan(strings.ReplaceAll(r[3], ",", ""), &n); err == nil {
				sum += n
			}
		}
	}
	if sum != m.Counts.Unsuccessful {
		t.Errorf("Unsuccessful sheet sums to %d, want %d", sum, m.Counts.Unsuccessful)
	}
	meth, err := f.GetRows("Methodology")
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, r := range meth {
		text.WriteString(strings.Join(r, " ") + "\n")
	}
	for _, want := range []string{"CREATE OR REPLACE TABLE scoped AS", m.Inputs[0].SHA256, "bs_norm_phone", "version: 1"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("Methodology lacks %q", want)
		}
	}
}

// sheetMap reads a two-column sheet into label -> value, skipping the title block.
func sheetMap(t *testing.T, f *excelize.File, sheet string) map[string]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows {
		if len(r) >= 2 {
			out[r[0]] = strings.ReplaceAll(r[1], ",", "")
		}
	}
	return out
}

// TestIndividualsMasking: personal data in the Individuals sheet is masked
// unless --unmasked is given, which the manifest records.
func TestIndividualsMasking(t *testing.T) {
	dir := copySample(t)
	mustRun(t, "run", "--quiet", "--run-id", "masked", dir)
	mustRun(t, "report", "--quiet", "--unmasked", "--run-id", "unmasked", dir)
	customers := readCSV(t, filepath.Join(dir, "customers.csv"))
	emails := map[string]bool{}
	for _, row := range customers[1:] {
		if row[9] != "" {
			emails[strings.ToLower(row[9])] = true // notices use the case-folded email
		}
	}
	count := func(run string) (int, int) {
		f, err := excelize.OpenFile(filepath.Join(dir, "runs", run, report.WorkbookXLSX))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows("Individuals")
		if err != nil {
			t.Fatal(err)
		}
		full, data := 0, 0
		for _, r := range rows {
			if len(r) > 4 && strings.Contains(r[4], "@") {
				data++
				if emails[strings.ToLower(r[4])] {
					full++
				}
			}
		}
		return full, data
	}
	if full, data := count("masked"); full != 0 || data == 0 {
		t.Errorf("masked sheet: %d full emails among %d", full, data)
	}
	if full, data := count("unmasked"); full == 0 || full != data {
		t.Errorf("unmasked sheet: %d full emails among %d", full, data)
	}
	if m := readManifest(t, filepath.Join(dir, "runs", "unmasked")); m.Run.Options["unmasked"] != true {
		t.Errorf("manifest options: %v", m.Run.Options)
	}
}
