package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
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
		full, data := 0, 0
		for _, r := range individualsRows(t, dir, run) {
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

// TestIndividualsCap: --workbook-individuals lists the first people by
// reference code, says how many it left out and where they are, and is
// recorded in the manifest; 0 lists everyone; a negative cap is a usage
// error.
func TestIndividualsCap(t *testing.T) {
	dir := copySample(t)
	mustRun(t, "run", "--quiet", "--run-id", "all", "--workbook-individuals", "0", dir)
	mustRun(t, "report", "--quiet", "--run-id", "five", "--workbook-individuals", "5", dir)
	sheet := func(run string) (notes []string, data [][]string) {
		rows := individualsRows(t, dir, run)
		header := -1
		for i, r := range rows {
			if len(r) > 0 && r[0] == "Reference code" {
				header = i
				break
			}
			if len(r) > 0 {
				notes = append(notes, r[0])
			}
		}
		if header < 0 {
			t.Fatalf("run %s: Individuals has no header row", run)
		}
		return notes, rows[header+1:]
	}
	m := readManifest(t, filepath.Join(dir, "runs", "all"))
	allNotes, all := sheet("all")
	if int64(len(all)) != m.Counts.People || len(all) <= 5 {
		t.Fatalf("uncapped sheet: %d rows, %d people", len(all), m.Counts.People)
	}
	fiveNotes, five := sheet("five")
	if diff := cmp.Diff(all[:5], five); diff != "" {
		t.Errorf("capped sheet is not the first five rows (-all +capped):\n%s", diff)
	}
	// (the sample has fewer than 1,000 people: no thousands separator)
	want := fmt.Sprintf("Lists the first 5 of %d people, by reference code", m.Counts.People)
	if !strings.Contains(strings.Join(fiveNotes, "\n"), want) {
		t.Errorf("capped sheet notes %q lack %q", fiveNotes, want)
	}
	if strings.Contains(strings.Join(allNotes, "\n"), "Lists the first") {
		t.Errorf("uncapped sheet says it is capped: %q", allNotes)
	}
	if got := readManifest(t, filepath.Join(dir, "runs", "five")).Run.Options["workbook_individuals"]; got != float64(5) {
		t.Errorf("manifest workbook_individuals = %v, want 5", got)
	}
	if code, _, stderr := runCLI(t, "report", "--quiet", "--workbook-individuals", "-1", dir); code != 2 || !strings.Contains(stderr, "--workbook-individuals -1") {
		t.Errorf("negative cap: exit %d, stderr %q", code, stderr)
	}
}

// individualsRows reads the Individuals sheet of a run's workbook.
func individualsRows(t *testing.T, dir, run string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(filepath.Join(dir, "runs", run, report.WorkbookXLSX))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Individuals")
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
