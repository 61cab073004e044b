package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/breachscope/breachscope/analysis/report"
	"github.com/breachscope/breachscope/analysis/synth"
)

// TestRunMatchesSynthShapes is the exactness test on the shapes of real
// data that make resolving hard (issue 4): subscribers with several billing
// accounts and endpoints that return one or all of them, former customers
// in a third table, identifiers in mixed formats, identifiers held by two
// customers, and lookups by customer id and email. On each shape alone and
// all together, `run` must find exactly the generated answer: the exposed
// customers with their elements, request counts and exposure times, every
// headline count (ambiguous and unmatched included), the customers exposed
// per element, and the people and their notices.
func TestRunMatchesSynthShapes(t *testing.T) {
	all := synth.Options{MultiTable: true, Former: true, MixedFormats: true, Ambiguous: true, Endpoints: true}
	cases := []struct {
		name string
		opts synth.Options
	}{
		{"multi-table", synth.Options{MultiTable: true}},
		{"former", synth.Options{Former: true}},
		{"mixed-formats", synth.Options{MixedFormats: true}},
		{"ambiguous", synth.Options{Ambiguous: true}},
		{"ambiguous-former", synth.Options{Ambiguous: true, Former: true}},
		{"endpoints", synth.Options{Endpoints: true}},
		{"all", all},
		{"all-alb", withFormat(all, "alb")},
	}
	for k, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := tc.opts
			opts.Seed, opts.Customers = uint64(20+k), 1500
			dir := filepath.Join(t.TempDir(), "case")
			want, err := synth.Generate(context.Background(), dir, opts)
			if err != nil {
				t.Fatal(err)
			}
			mustRun(t, "run", "--quiet", "--threads", "1", "--run-id", "r1", dir)
			run := filepath.Join(dir, "runs", "r1")
			checkSynthAnswer(t, dir, "r1", want)
			checkPerElement(t, run, want)
			checkPeople(t, dir, run, notifiedPeople(t, run))
			if opts.Ambiguous && want.Ambiguous == 0 {
				t.Error("no ambiguous request: the shape plants them")
			}
		})
	}
}

func withFormat(o synth.Options, format string) synth.Options {
	o.LogFormat = format
	return o
}

// checkPerElement compares the customers exposed per element with the
// answer's exposed_per_element.
func checkPerElement(t *testing.T, run string, want *synth.Summary) {
	t.Helper()
	got := map[string]int{}
	for name := range want.ExposedPerElement {
		got[name] = 0
	}
	for _, r := range queryRows(t, fmt.Sprintf(`SELECT e, count(*) FROM read_parquet('%s'), unnest(elements) AS u(e) GROUP BY e`,
		filepath.Join(run, report.ExposedParquet))) {
		got[r[0]], _ = strconv.Atoi(r[1])
	}
	for name, n := range want.ExposedPerElement {
		if got[name] != n {
			t.Errorf("customers with %s exposed: got %d, want %d", name, got[name], n)
		}
	}
}

// notifiedPeople counts the people the notification files name: every
// row of the mail batches and the substitute list (the notify manifest's
// row counts), and the email list's email-only rows.
func notifiedPeople(t *testing.T, run string) int {
	t.Helper()
	n := 0
	for _, row := range readCSV(t, filepath.Join(run, report.NotifyManifest))[1:] {
		if row[0] != filepath.Base(report.EmailCSV) {
			k, err := strconv.Atoi(row[1])
			if err != nil {
				t.Fatalf("notify manifest row %v: %v", row, err)
			}
			n += k
		}
	}
	emails := readCSV(t, filepath.Join(run, report.EmailCSV))
	channel := -1
	for i, h := range emails[0] {
		if strings.TrimPrefix(h, "\ufeff") == "channel" {
			channel = i
		}
	}
	for _, row := range emails[1:] {
		if row[channel] == "email" {
			n++
		}
	}
	return n
}

// TestSynthFlags checks the synth command's own usage errors and that the
// shape flags reach the case (its first line names the command).
func TestSynthFlags(t *testing.T) {
	for _, args := range [][]string{
		{"synth", "--tier", "XXL"},
		{"synth", "--tier", "S", "--customers", "50"},
		{"synth", "--tier", "M", "--log-lines", "5"},
		{"synth", "--customers", "0"},
		{"synth", "--customers", "100000001"},
		{"synth", "--log-lines", "-1"},
	} {
		dir := filepath.Join(t.TempDir(), "case")
		if code, _, errOut := runCLI(t, append(args, dir)...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (usage)\n%s", args, code, ExitUsage, errOut)
		}
	}
	dir := filepath.Join(t.TempDir(), "case")
	out := mustRun(t, "synth", "--seed", "5", "--customers", "40", "--multi-table", "--former", "--endpoints", dir)
	if !strings.Contains(out, "45 customers") {
		t.Errorf("synth printed %q, want 45 customers (40, and at least 5 former)", out)
	}
	first := strings.SplitN(string(mustRead(t, filepath.Join(dir, "case.yaml"))), "\n", 2)[0]
	if !strings.Contains(first, "--seed 5 --customers 40 --multi-table --former --endpoints") {
		t.Errorf("case.yaml: %s", first)
	}
	if code, _, errOut := runCLI(t, "synth", "--former", "--log-format", "cloudtrail", filepath.Join(t.TempDir(), "ct")); code != ExitFailure || !strings.Contains(errOut, "but cloudtrail") {
		t.Errorf("shapes with cloudtrail: exit %d: %s", code, errOut)
	}
}
