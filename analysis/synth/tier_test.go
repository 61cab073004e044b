package synth

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "github.com/marcboeker/go-duckdb/v2"
)

// TestTierS generates the smallest tier and checks its size, its layout
// (one uncompressed log file per day) and that the oracle, reading the
// files alone, finds the same answer.
func TestTierS(t *testing.T) {
	t.Parallel()
	dir, s := generate(t, Options{Seed: 3, Tier: "S"})
	if s.Customers != 10_000 || s.LogLines != 100_000 {
		t.Errorf("customers, log lines = %d, %d; want 10000, 100000", s.Customers, s.LogLines)
	}
	if share := float64(s.ExposedCustomers) / float64(s.Customers); share < 0.28 || share > 0.32 {
		t.Errorf("%.1f%% exposed, want about 30%%", 100*share)
	}
	logs, _ := filepath.Glob(filepath.Join(dir, "logs", "*"))
	if len(logs) != 52 || filepath.Base(logs[0]) != "api-2022-11-20.jsonl" || filepath.Base(logs[51]) != "api-2023-01-10.jsonl" {
		t.Errorf("log files: %d, %s .. %s; want 52 days, uncompressed", len(logs), filepath.Base(logs[0]), filepath.Base(logs[len(logs)-1]))
	}
	caseFile, err := os.ReadFile(filepath.Join(dir, "case.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(caseFile), "`breachscope synth --seed 3 --tier S`") {
		t.Errorf("case.yaml does not name the command that made it:\n%.200s", caseFile)
	}
	checkOracle(t, dir, s)
	checkAnswerParquet(t, dir)
}

// checkAnswerParquet compares expected/exposed.parquet with exposed.csv.
func checkAnswerParquet(t *testing.T, dir string) {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows, differ int
	err = db.QueryRow(`WITH p AS (
		  SELECT customer_id, array_to_string(elements, '|') AS elements, CAST(requests AS VARCHAR) AS requests,
		    strftime(first_exposed, '%Y-%m-%dT%H:%M:%SZ') AS first_exposed, strftime(last_exposed, '%Y-%m-%dT%H:%M:%SZ') AS last_exposed
		  FROM read_parquet($1)),
		c AS (SELECT * FROM read_csv($2, all_varchar = true))
		SELECT (SELECT count(*) FROM p), (SELECT count(*) FROM (FROM p EXCEPT FROM c UNION ALL FROM c EXCEPT FROM p))`,
		filepath.Join(dir, "expected", "exposed.parquet"), filepath.Join(dir, "expected", "exposed.csv")).Scan(&rows, &differ)
	if err != nil {
		t.Fatal(err)
	}
	if want := len(readCSV(t, filepath.Join(dir, "expected", "exposed.csv"))) - 1; rows != want || differ != 0 {
		t.Errorf("exposed.parquet: %d rows (csv %d), %d differ", rows, want, differ)
	}
	fi, err := os.Stat(filepath.Join(dir, "expected", "exposed.parquet"))
	if err != nil || fi.Mode().Perm() != fileMode {
		t.Errorf("exposed.parquet: %v, %v", fi.Mode(), err)
	}
}

// TestLogLines checks the volume knob: the case holds exactly the lines
// asked for, and too few for the attacker is an error naming the minimum.
func TestLogLines(t *testing.T) {
	t.Parallel()
	dir, s := generate(t, Options{Seed: 4, Customers: 2000, LogLines: 30_000})
	if s.LogLines != 30_000 {
		t.Errorf("log lines = %d, want 30000", s.LogLines)
	}
	checkOracle(t, dir, s)
	_, err := Generate(context.Background(), filepath.Join(t.TempDir(), "c"), Options{Seed: 4, Customers: 2000, LogLines: 100})
	if err == nil || !strings.Contains(err.Error(), "ask for at least") {
		t.Errorf("100 lines for 2000 customers: %v", err)
	}
}

func TestTierOptions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, o := range []Options{{Tier: "XXL"}, {Tier: "S", Customers: 5000}, {Tier: "M", LogLines: 5}, {LogLines: -1}} {
		if _, err := Generate(ctx, filepath.Join(t.TempDir(), "c"), o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
	if tr, err := findTier("xl"); err != nil || tr.customers != MaxCustomers {
		t.Errorf("tier xl: %+v, %v", tr, err)
	}
}

// TestSharesFor checks the sweep share each tier's exposure asks for
// against the default case's, whose shares give about 29%.
func TestSharesFor(t *testing.T) {
	if s := sharesFor(0.2866); s.sweep < 0.24 || s.sweep > 0.25 || s.lines != defaultShares.lines {
		t.Errorf("sharesFor(29%%) = %+v, want about the default %+v", s, defaultShares)
	}
	if s := sharesFor(0.37); s.sweep < 0.33 || s.sweep > 0.35 {
		t.Errorf("sharesFor(37%%) = %+v", s)
	}
}

func TestExposurePacking(t *testing.T) {
	for _, c := range []struct {
		el          uint8
		n, first, l uint32
	}{{0, 0, 0, 0}, {elAll, maxRequests, 1<<expTimeBits - 1, 1<<expTimeBits - 1}, {elName | elPlan, 7, 12345, 3628799}} {
		x := packExposure(c.el, c.n, c.first, c.l)
		if x.elements() != c.el || x.requests() != c.n || x.first() != c.first || x.last() != c.l {
			t.Errorf("pack %+v: got %d %d %d %d", c, x.elements(), x.requests(), x.first(), x.last())
		}
	}
	if span := windowEnd - windowStart; span >= 1<<expTimeBits {
		t.Errorf("the scope window (%d s) does not fit %d bits", span, expTimeBits)
	}
}

// TestCustomerIDsSortAsNumbers: ids are as wide as the largest, so the
// answer's text order is customer order at any size.
func TestCustomerIDsSortAsNumbers(t *testing.T) {
	for _, n := range []int{400, 9_999_999, 10_000_000, MaxCustomers} {
		m, err := newModel(1, n, 0)
		if err != nil {
			t.Fatal(err)
		}
		ids := []string{m.custID(0), m.custID(n/2 - 1), m.custID(n / 2), m.custID(n - 1)}
		if !slices.IsSorted(ids) || len(ids[0]) != len(ids[3]) || (n < 10_000_000 && len(ids[0]) != 8) {
			t.Errorf("%d customers: ids %v", n, ids)
		}
	}
}

// TestPhoneBookBeyond555 checks the numbering past the 555 exchange: every
// customer of an 8-million case gets a distinct, well-formed number, in
// 555 or in an exchange 100-199 that no real line can have.
func TestPhoneBookBeyond555(t *testing.T) {
	if testing.Short() {
		t.Skip("8 million numbers")
	}
	const n = 8_000_000
	pb, err := newPhoneBook(rand.New(rand.NewPCG(1, 2)), n)
	if err != nil {
		t.Fatal(err)
	}
	nums := make([]int64, n)
	var in555 int
	for i := range nums {
		p := pb.number(i)
		area, exch, _ := phoneParts(p)
		switch {
		case exch == 555:
			in555++
		case exch < 100 || exch > 199:
			t.Fatalf("customer %d: exchange %d", i, exch)
		}
		if area < 201 || area > 988 {
			t.Fatalf("customer %d: area code %d", i, area)
		}
		nums[i] = p
	}
	slices.Sort(nums)
	if k := len(slices.Compact(nums)); k != n {
		t.Errorf("%d distinct numbers for %d customers", k, n)
	}
	if in555 == 0 || in555 > n/50 {
		t.Errorf("%d numbers in 555: want about 1%%", in555)
	}
}
