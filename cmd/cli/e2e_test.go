package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	_ "github.com/marcboeker/go-duckdb/v2"

	"github.com/breachscope/breachscope/analysis/report"
	"github.com/breachscope/breachscope/analysis/synth"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// runCLI runs the CLI in-process and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := runCLI(t, args...)
	if code != ExitOK {
		t.Fatalf("breachscope %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// TestRunMatchesSynthAnswer is the exactness test: on synthetic cases of
// several sizes and seeds, and with the logs in every format synth writes,
// the exposed customers, their exposed elements and request counts, and
// every headline count equal the generated answer.
func TestRunMatchesSynthAnswer(t *testing.T) {
	type synthCase struct {
		seed      uint64
		customers int
		format    string
		tier      string
		gzip      bool // every log file gzipped
	}
	cases := []synthCase{{seed: 1, customers: 200}, {seed: 2, customers: 1000}, {seed: 3, customers: 5000}, {seed: 12, tier: "S"},
		{seed: 13, tier: "S", gzip: true}, {seed: 14, customers: 300, format: "combined", gzip: true}}
	for k, f := range synth.LogFormats[1:] {
		cases = append(cases, synthCase{seed: uint64(4 + k), customers: 300, format: f})
	}
	for _, tc := range cases {
		name := fmt.Sprintf("seed%d_%d%s%s", tc.seed, tc.customers, tc.format, tc.tier)
		if tc.gzip {
			name += "_gzip"
		}
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "case")
			want, err := synth.Generate(context.Background(), dir, synth.Options{Seed: tc.seed, Customers: tc.customers, LogFormat: tc.format, Tier: tc.tier, GzipLogs: tc.gzip})
			if err != nil {
				t.Fatal(err)
			}
			if tc.gzip {
				logs, _ := filepath.Glob(filepath.Join(dir, "logs", "*"))
				for _, f := range logs {
					if !strings.HasSuffix(f, ".gz") {
						t.Errorf("--gzip-logs wrote %s", filepath.Base(f))
					}
				}
				if len(logs) == 0 {
					t.Error("no log files")
				}
			}
			mustRun(t, "run", "--quiet", "--run-id", "r1", dir)
			run := filepath.Join(dir, "runs", "r1")
			checkSynthAnswer(t, dir, "r1", want)
			// Every person is in exactly one of mail, email-only or substitute.
			var people int
			for _, row := range readCSV(t, filepath.Join(run, report.NotifyManifest))[1:] {
				if row[0] == "email.csv" {
					continue
				}
				var n int
				fmt.Sscan(row[1], &n)
				people += n
			}
			emailOnly := queryRows(t, fmt.Sprintf("SELECT count(*) FROM read_csv('%s') WHERE channel = 'email'", filepath.Join(run, report.EmailCSV)))
			var n int
			fmt.Sscan(emailOnly[0][0], &n)
			checkPeople(t, dir, run, people+n)
		})
	}
}

// checkSynthAnswer compares a run's headline counts, and its exposed
// customers with their elements, request counts and first and last
// exposure, with the synthetic case's known answer.
func checkSynthAnswer(t *testing.T, dir, runID string, want *synth.Summary) {
	t.Helper()
	run := filepath.Join(dir, "runs", runID)
	got := readManifest(t, run).Counts
	pairs := []struct {
		name      string
		got, want int64
	}{
		{"log lines", got.LogLines, int64(want.LogLines)},
		{"rejected lines", got.LogLinesRejected, int64(want.RejectedLines)},
		{"requests", got.Requests, int64(want.AcceptedRequests)},
		{"in scope", got.InScope, int64(want.InScope)},
		{"out of scope", got.OutOfScope, int64(want.OutOfScope)},
		{"no endpoint", got.NoEndpoint, int64(want.NoEndpoint)},
		{"unsuccessful", got.Unsuccessful, int64(want.Unsuccessful)},
		{"successful", got.Successful, int64(want.Successful)},
		{"matched", got.Matched, int64(want.Matched)},
		{"ambiguous", got.Ambiguous, int64(want.Ambiguous)},
		{"unmatched", got.Unmatched, int64(want.Unmatched)},
		{"matched customers", got.MatchedCustomers, int64(want.MatchedCustomers)},
		{"exposed customers", got.ExposedCustomers, int64(want.ExposedCustomers)},
	}
	for _, p := range pairs {
		if p.got != p.want {
			t.Errorf("%s: got %d, want %d", p.name, p.got, p.want)
		}
	}
	wantRows := readCSV(t, filepath.Join(dir, "expected", "exposed.csv"))
	gotRows := queryRows(t, fmt.Sprintf(`
		SELECT customer_id, array_to_string(elements, '|'), CAST(requests AS VARCHAR),
		  strftime(first_exposed, '%%Y-%%m-%%dT%%H:%%M:%%SZ'), strftime(last_exposed, '%%Y-%%m-%%dT%%H:%%M:%%SZ')
		FROM read_parquet('%s') ORDER BY customer_id`, filepath.Join(run, report.ExposedParquet)))
	if diff := cmp.Diff(wantRows[1:], gotRows); diff != "" {
		t.Errorf("exposed customers differ from the known answer (-want +got):\n%s", diff)
	}
}

// checkPeople compares the run's people with the known answer: how many,
// how many merged from several records, near misses, channels, minors,
// deceased and people per jurisdiction. notified is the count the
// notification files add up to.
func checkPeople(t *testing.T, dir, run string, notified int) {
	t.Helper()
	var want synth.PeopleSummary
	if err := json.Unmarshal(mustRead(t, filepath.Join(dir, "expected", "people.json")), &want); err != nil {
		t.Fatal(err)
	}
	if notified != want.People {
		t.Errorf("notification files hold %d people, want %d", notified, want.People)
	}
	people := filepath.Join(run, report.PeopleParquet)
	got := queryRows(t, fmt.Sprintf(`SELECT count(*), count(*) FILTER (WHERE records > 1),
		count(*) FILTER (WHERE channel = 'mail'), count(*) FILTER (WHERE channel = 'email'),
		count(*) FILTER (WHERE channel = 'substitute'), count(*) FILTER (WHERE minor), count(*) FILTER (WHERE deceased),
		count(DISTINCT letter_version)
		FROM read_parquet('%s')`, people))[0]
	wantRow := []string{fmt.Sprint(want.People), fmt.Sprint(want.MergedPeople), fmt.Sprint(want.Mail), fmt.Sprint(want.EmailOnly),
		fmt.Sprint(want.Substitute), fmt.Sprint(want.Minors), fmt.Sprint(want.Deceased), fmt.Sprint(want.LetterVersions)}
	if diff := cmp.Diff(wantRow, got); diff != "" {
		t.Errorf("people, merged, mail, email, substitute, minors, deceased, letter versions (-want +got):\n%s", diff)
	}
	byJurisdiction := map[string]int{}
	for _, r := range queryRows(t, fmt.Sprintf("SELECT jurisdiction, count(*) FROM read_parquet('%s') GROUP BY ALL", people)) {
		var n int
		fmt.Sscan(r[1], &n)
		byJurisdiction[r[0]] = n
	}
	if diff := cmp.Diff(want.ByJurisdiction, byJurisdiction); diff != "" {
		t.Errorf("people per jurisdiction (-want +got):\n%s", diff)
	}
	nearMisses := queryRows(t, fmt.Sprintf("ATTACH '%s' AS c (READ_ONLY); SELECT count(*) FROM c.near_misses", filepath.Join(dir, "case.duckdb")))
	if nearMisses[0][0] != fmt.Sprint(want.NearMissPairs) {
		t.Errorf("near misses %s, want %d", nearMisses[0][0], want.NearMissPairs)
	}
}

// TestSampleGolden runs the committed sample case and compares the
// notification list and the manifest (minus its run record) with golden
// files; `go test ./cmd/cli -run TestSampleGolden -update` rewrites them.
func TestSampleGolden(t *testing.T) {
	dir := copySample(t)
	out := mustRun(t, "run", "--run-id", "golden", dir)
	run := filepath.Join(dir, "runs", "golden")
	golden(t, "demo/mail-0001.csv", mustRead(t, filepath.Join(run, report.MailBatchName(1))))
	golden(t, "demo/email.csv", mustRead(t, filepath.Join(run, report.EmailCSV)))
	golden(t, "demo/notify-manifest.csv", mustRead(t, filepath.Join(run, report.NotifyManifest)))
	golden(t, "demo/unmatched_identifiers.csv", mustRead(t, filepath.Join(run, report.UnmatchedCSV)))
	golden(t, "demo/manifest.json", normalisedManifest(t, run))
	golden(t, "demo/stdout.txt", []byte(strings.ReplaceAll(out, dir, "<case>")))
}

// TestRerunIsByteIdentical runs the same case twice: every output file must
// be byte-identical, and the manifests may differ only in their run record.
func TestRerunIsByteIdentical(t *testing.T) {
	dir := copySample(t)
	mustRun(t, "run", "--quiet", "--run-id", "a", dir)
	mustRun(t, "run", "--quiet", "--run-id", "b", dir)
	a, b := readManifest(t, filepath.Join(dir, "runs", "a")), readManifest(t, filepath.Join(dir, "runs", "b"))
	if diff := cmp.Diff(a.Outputs, b.Outputs); diff != "" {
		t.Errorf("outputs differ between runs (-a +b):\n%s", diff)
	}
	if !bytes.Equal(normalisedManifest(t, filepath.Join(dir, "runs", "a")), normalisedManifest(t, filepath.Join(dir, "runs", "b"))) {
		t.Error("manifests differ outside the run record")
	}
	for _, o := range a.Outputs {
		if !bytes.Equal(mustRead(t, filepath.Join(dir, "runs", "a", o.Path)), mustRead(t, filepath.Join(dir, "runs", "b", o.Path))) {
			t.Errorf("%s differs between runs", o.Path)
		}
	}
}

// TestStepsEqualRun checks that ingest, analyze and report run separately
// (separate processes in real use) give the same outputs as run.
func TestStepsEqualRun(t *testing.T) {
	dir := copySample(t)
	mustRun(t, "run", "--quiet", "--run-id", "whole", dir)
	mustRun(t, "ingest", "--quiet", dir)
	mustRun(t, "analyze", "--quiet", dir)
	mustRun(t, "report", "--quiet", "--run-id", "steps", dir)
	a, b := readManifest(t, filepath.Join(dir, "runs", "whole")), readManifest(t, filepath.Join(dir, "runs", "steps"))
	if diff := cmp.Diff(a.Outputs, b.Outputs); diff != "" {
		t.Errorf("step-by-step outputs differ from run (-run +steps):\n%s", diff)
	}
}

func TestOutputPermissions(t *testing.T) {
	dir := copySample(t)
	mustRun(t, "run", "--quiet", "--run-id", "p", dir)
	err := filepath.Walk(filepath.Join(dir, "runs"), func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		want := os.FileMode(0o600)
		if info.IsDir() {
			want = 0o700
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, info.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".tmp")); !os.IsNotExist(err) {
		t.Errorf("spill directory left behind: %v", err)
	}
}

func normalisedManifest(t *testing.T, run string) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(mustRead(t, filepath.Join(run, report.ManifestJSON)), &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "run")
	tool := m["tool"].(map[string]any)
	for _, k := range []string{"commit", "go", "version", "libraries"} {
		tool[k] = "<build>"
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func readManifest(t *testing.T, run string) *report.Manifest {
	t.Helper()
	var m report.Manifest
	if err := json.Unmarshal(mustRead(t, filepath.Join(run, report.ManifestJSON)), &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from golden file (-want +got):\n%s", name, diff)
	}
}

// copySample copies samples/demo-case into a temp dir so runs do not write
// into the repository.
func copySample(t *testing.T) string {
	t.Helper()
	src := filepath.Join("..", "..", "samples", "demo-case")
	dst := filepath.Join(t.TempDir(), "demo-case")
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			if rel == "runs" {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o700)
		}
		if strings.HasSuffix(p, ".duckdb") || strings.HasSuffix(p, ".wal") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readCSV(t *testing.T, p string) [][]string {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return rows
}

// queryRows runs a query in a scratch DuckDB and returns its rows as text.
func queryRows(t *testing.T, query string) [][]string {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = v.String
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
