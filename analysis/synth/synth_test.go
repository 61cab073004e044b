package synth

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func generate(t *testing.T, opts Options) (string, *Summary) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "case")
	s, err := Generate(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return dir, s
}

// readTree maps every file under dir (relative path) to its bytes.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	a, _ := generate(t, Options{Seed: 1})
	b, _ := generate(t, Options{Seed: 1})
	c, _ := generate(t, Options{Seed: 2})
	ta, tb, tc := readTree(t, a), readTree(t, b), readTree(t, c)
	want := []string{"case.yaml", "customers.csv", "expected/exposed.csv", "expected/people.json", "expected/summary.json",
		"logs/api-2022-11.jsonl", "logs/api-2022-12.jsonl.gz", "logs/api-2023-01.jsonl", "reference.key"}
	var got []string
	for k := range ta {
		got = append(got, filepath.ToSlash(k))
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("files = %v, want %v", got, want)
	}
	for name, content := range ta {
		if !bytes.Equal(content, tb[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
	for _, name := range []string{"customers.csv", "logs/api-2022-11.jsonl", "logs/api-2022-12.jsonl.gz", "expected/exposed.csv"} {
		if bytes.Equal(ta[filepath.FromSlash(name)], tc[filepath.FromSlash(name)]) {
			t.Errorf("%s is the same for seeds 1 and 2", name)
		}
	}
}

func TestSummaryConsistent(t *testing.T) {
	t.Parallel()
	dir, s := generate(t, Options{Seed: 1})
	if s.Customers != 1000 || s.Seed != 1 {
		t.Errorf("seed/customers = %d/%d", s.Seed, s.Customers)
	}
	checks := []struct {
		name string
		a, b int
	}{
		{"log_lines = rejected + accepted", s.LogLines, s.RejectedLines + s.AcceptedRequests},
		{"accepted = in + out of scope", s.AcceptedRequests, s.InScope + s.OutOfScope},
		{"in_scope = no_endpoint + unsuccessful + successful", s.InScope, s.NoEndpoint + s.Unsuccessful + s.Successful},
		{"successful = matched + ambiguous + unmatched", s.Successful, s.Matched + s.Ambiguous + s.Unmatched},
		{"matched customers = exposed + without elements", s.MatchedCustomers, s.ExposedCustomers + s.MatchedWithoutElements},
		{"rejected lines", s.RejectedLines, 5},
		{"ambiguous", s.Ambiguous, 0},
		{"customers with name exposed", s.ExposedPerElement["name"], s.ExposedCustomers},
	}
	for _, c := range checks {
		if c.a != c.b {
			t.Errorf("%s: %d != %d", c.name, c.a, c.b)
		}
	}
	for _, n := range []int{s.NoEndpoint, s.Unsuccessful, s.Unmatched, s.OutOfScope} {
		if n == 0 {
			t.Errorf("every category should be represented: %+v", s)
		}
	}
	rows := readCSV(t, filepath.Join(dir, "expected", "exposed.csv"))
	if !slices.Equal(rows[0], []string{"customer_id", "elements", "requests", "first_exposed", "last_exposed"}) {
		t.Errorf("exposed.csv header = %v", rows[0])
	}
	if len(rows)-1 != s.ExposedCustomers {
		t.Errorf("exposed.csv has %d rows, summary says %d", len(rows)-1, s.ExposedCustomers)
	}
	if !slices.IsSortedFunc(rows[1:], func(a, b []string) int { return strings.Compare(a[0], b[0]) }) {
		t.Error("exposed.csv is not sorted by customer_id")
	}

	var onDisk Summary
	b, err := os.ReadFile(filepath.Join(dir, "expected", "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &onDisk); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&onDisk, s) {
		t.Errorf("summary.json = %+v, returned %+v", onDisk, *s)
	}
	if len(s.ExposedPerElement) != 7 {
		t.Errorf("exposed_per_element = %v", s.ExposedPerElement)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

// TestAnswerMatchesOracle recomputes the answer from the files alone and
// compares it with what the generator wrote.
func TestAnswerMatchesOracle(t *testing.T) {
	t.Parallel()
	for _, seed := range []uint64{1, 7} {
		dir, s := generate(t, Options{Seed: seed})
		checkOracle(t, dir, s)
	}
}

func checkOracle(t *testing.T, dir string, s *Summary) {
	t.Helper()
	o := runOracle(t, dir)
	o.sum.Seed = s.Seed
	if !reflect.DeepEqual(&o.sum, s) {
		t.Errorf("oracle summary\n %+v\ngenerator summary\n %+v", o.sum, *s)
	}
	rows := readCSV(t, filepath.Join(dir, "expected", "exposed.csv"))[1:]
	if !reflect.DeepEqual(o.rows, rows) {
		t.Errorf("exposed.csv differs from the oracle (%d vs %d rows)", len(rows), len(o.rows))
		for i := range min(len(rows), len(o.rows)) {
			if !slices.Equal(rows[i], o.rows[i]) {
				t.Errorf("first difference: file %v, oracle %v", rows[i], o.rows[i])
				break
			}
		}
	}
	if o.invalidJSON != 3 || o.badTime != 1 || o.blank != 1 {
		t.Errorf("rejected lines: %d invalid JSON, %d bad ts, %d blank; want 3, 1, 1", o.invalidJSON, o.badTime, o.blank)
	}
	if o.ipOnlyHits == 0 || o.keyOnlyHits == 0 {
		t.Errorf("matched requests caught by IP only: %d, by key only: %d; want some of each", o.ipOnlyHits, o.keyOnlyHits)
	}
	if o.minInScope != windowStart || o.maxInScope != windowEnd-1 {
		t.Errorf("in-scope requests span %s..%s, want the window's first and last second",
			formatTS(o.minInScope), formatTS(o.maxInScope))
	}
}

func TestCustomersCSV(t *testing.T) {
	t.Parallel()
	dir, s := generate(t, Options{Seed: 3})
	rows := readCSV(t, filepath.Join(dir, "customers.csv"))
	if !slices.Equal(rows[0], customerHeader) {
		t.Fatalf("header = %v", rows[0])
	}
	if len(rows)-1 != 1000 {
		t.Fatalf("%d customers, want 1000", len(rows)-1)
	}
	seen := map[string]map[string]bool{"id": {}, "acct": {}, "phone": {}, "email": {}}
	unique := func(kind, v string) {
		if v == "" {
			return
		}
		if seen[kind][v] {
			t.Errorf("duplicate %s %q", kind, v)
		}
		seen[kind][v] = true
	}
	var comma, quote, apostrophe, mixedCase int
	formula := ""
	for _, r := range rows[1:] {
		unique("id", r[0])
		unique("acct", normAccount(r[12]))
		unique("phone", digits(r[10]))
		if i, _ := strconv.Atoi(strings.TrimPrefix(r[0], "C")); !isDuplicate(i - 1) {
			unique("email", strings.ToLower(r[9])) // a planted duplicate is the same person again
		}
		if len(r[12]) != 10 || len(digits(r[10])) != 10 || (r[8] != "US" && abroad[r[8]] == "") {
			t.Errorf("bad account, phone or country: %v", r)
		}
		if _, err := time.Parse("2006-01-02", r[11]); r[11] != "" && err != nil {
			t.Errorf("bad dob %q", r[11])
		}
		if r[3] == "" && (r[4] != "" || r[5] != "" || r[6] != "" || r[7] != "") {
			t.Errorf("partial address: %v", r)
		}
		if strings.Contains(r[2], ",") {
			comma++
		}
		if strings.Contains(r[1], `"`) {
			quote++
		}
		if strings.Contains(r[2], "'") {
			apostrophe++
		}
		if r[9] != strings.ToLower(r[9]) {
			mixedCase++
		}
		if strings.HasPrefix(r[13], "=") {
			if formula != "" {
				t.Errorf("more than one formula plan")
			}
			formula = r[0]
		}
	}
	if comma == 0 || quote == 0 || apostrophe == 0 || mixedCase == 0 {
		t.Errorf("oddities: %d commas, %d quotes, %d apostrophes, %d mixed-case emails", comma, quote, apostrophe, mixedCase)
	}
	exposed := readCSV(t, filepath.Join(dir, "expected", "exposed.csv"))
	found := false
	for _, r := range exposed[1:] {
		if r[0] == formula && strings.HasSuffix(r[1], "|plan") {
			found = true
		}
	}
	if formula == "" || !found {
		t.Errorf("formula plan customer %q is not exposed with plan", formula)
	}
	if s.ExposedPerElement["plan"] == 0 {
		t.Error("no plan exposed")
	}
}

func TestLogFiles(t *testing.T) {
	t.Parallel()
	dir, _ := generate(t, Options{Seed: 1})
	raw, err := os.ReadFile(filepath.Join(dir, "logs", "api-2022-12.jsonl.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw[4:8], []byte{0, 0, 0, 0}) {
		t.Errorf("gzip header has a modification time: % x", raw[4:8])
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(plain), `{"ts":"2022-12-`) {
		t.Errorf("December file starts with %.40q", plain)
	}
	for _, name := range []string{"api-2022-11.jsonl", "api-2023-01.jsonl"} {
		b, err := os.ReadFile(filepath.Join(dir, "logs", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasSuffix(b, []byte("}\n")) || bytes.Contains(b, []byte("\r")) {
			t.Errorf("%s: lines must end with \\n only", name)
		}
	}
	nov, _ := os.ReadFile(filepath.Join(dir, "logs", "api-2022-11.jsonl"))
	i := bytes.Index(nov, []byte("\n\n"))
	if i < 0 || i+2 >= len(nov) {
		t.Error("no blank line in the middle of the November file")
	}
	// Every accepted line carrying every key is checked by the oracle.
	runOracle(t, dir)
}

func TestCoverage(t *testing.T) {
	t.Parallel()
	for _, seed := range []uint64{1, 2, 3} {
		_, s := generate(t, Options{Seed: seed})
		share := float64(s.ExposedCustomers) / float64(s.Customers)
		if share < 0.2 || share > 0.4 {
			t.Errorf("seed %d: %.1f%% of customers exposed, want about 30%%", seed, 100*share)
		}
	}
}

// TestLarge checks a bigger case end to end and the shares of missing
// values, which are too noisy at 1000 customers.
func TestLarge(t *testing.T) {
	t.Parallel()
	start := time.Now()
	dir, s := generate(t, Options{Seed: 11, Customers: 20000})
	t.Logf("generated 20000 customers, %d log lines in %v", s.LogLines, time.Since(start))
	checkOracle(t, dir, s)
	rows := readCSV(t, filepath.Join(dir, "customers.csv"))[1:]
	var noEmail, noDOB, noAddr, unit int
	for _, r := range rows {
		if r[9] == "" {
			noEmail++
		}
		if r[11] == "" {
			noDOB++
		}
		if r[3] == "" {
			noAddr++
		}
		if r[4] != "" {
			unit++
		}
	}
	within := func(what string, n int, lo, hi float64) {
		share := float64(n) / float64(len(rows))
		if share < lo || share > hi {
			t.Errorf("%s: %.2f%%, want %.0f%%..%.0f%%", what, 100*share, 100*lo, 100*hi)
		}
	}
	within("no email", noEmail, 0.04, 0.06)
	within("no dob", noDOB, 0.04, 0.06)
	within("no address", noAddr, 0.02, 0.04)
	within("unit", unit, 0.08, 0.16)
	within("exposed", s.ExposedCustomers, 0.25, 0.35)
}

func TestPermissions(t *testing.T) {
	t.Parallel()
	dir, _ := generate(t, Options{Seed: 1, Customers: 50})
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(fileMode)
		if d.IsDir() {
			want = dirMode
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSmallCase(t *testing.T) {
	t.Parallel()
	dir, s := generate(t, Options{Seed: 5, Customers: minCustomers})
	checkOracle(t, dir, s)
}

func TestRejectsBadTargets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(ctx, dir, Options{}); err == nil {
		t.Error("non-empty directory accepted")
	}
	if _, err := Generate(ctx, filepath.Join(dir, "x"), Options{}); err == nil {
		t.Error("file accepted as directory")
	}
	if _, err := Generate(ctx, filepath.Join(dir, "few"), Options{Customers: 3}); err == nil {
		t.Error("3 customers accepted")
	}
	if _, err := Generate(ctx, filepath.Join(dir, "many"), Options{Customers: MaxCustomers + 1}); err == nil {
		t.Error("too many customers accepted")
	}

	// An empty existing directory is fine.
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(ctx, empty, Options{Customers: 20}); err != nil {
		t.Errorf("empty directory: %v", err)
	}
}

// countdownCtx reports cancellation after a number of checks, to interrupt
// Generate midway, once files exist.
type countdownCtx struct {
	context.Context
	left int
}

func (c *countdownCtx) Err() error {
	if c.left--; c.left < 0 {
		return context.Canceled
	}
	return nil
}

func TestCancelLeavesNothing(t *testing.T) {
	t.Parallel()
	for _, checks := range []int{0, 2, 4} {
		dir := t.TempDir()
		ctx := &countdownCtx{Context: context.Background(), left: checks}
		if _, err := Generate(ctx, filepath.Join(dir, "case"), Options{Customers: 20000}); err == nil {
			t.Fatalf("cancelled after %d checks: no error", checks)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 0 {
			t.Errorf("run cancelled after %d checks left %v", checks, entries)
		}
		// In a directory the caller made, only the case's entries go.
		ctx = &countdownCtx{Context: context.Background(), left: checks}
		if _, err := Generate(ctx, dir, Options{Customers: 20000}); err == nil {
			t.Fatalf("cancelled after %d checks: no error", checks)
		}
		entries, _ = os.ReadDir(dir)
		if _, err := os.Stat(dir); err != nil || len(entries) != 0 {
			t.Errorf("run cancelled after %d checks left %v (%v)", checks, entries, err)
		}
	}
}
