// Command harness is `make bench`: it generates (or reuses) a synthetic
// case of a tier, runs breachscope on it, then runs baseline A (bench/floor)
// and baseline B (bench/pandas) on the same files in the same session, and
// writes the comparison to bench/results/<tier>.md. Every figure is
// measured here, in this run, on this machine; ratios, not absolute times,
// are what carry between machines.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
)

// config is the command line.
type config struct {
	tier         string
	seed         uint64
	casesDir     string
	resultsDir   string
	bin          string
	floorBin     string
	python       string
	memoryLimit  string
	threads      int
	pandasMemory string
	skipPandas   bool
	skipFloor    bool
	// gzipLogs generates the case with gzipped logs (synth --gzip-logs).
	gzipLogs bool
}

// tierLimits are the DuckDB memory limits each tier is benchmarked with;
// peak RSS is checked against the limit plus 1 GiB.
var tierLimits = map[string]string{"S": "2GB", "M": "4GB", "L": "8GB", "XL": "8GB"}

func main() {
	var c config
	flag.StringVar(&c.tier, "tier", "M", "case size: S, M, L or XL (see breachscope synth --help)")
	flag.Uint64Var(&c.seed, "seed", 1, "synth seed")
	flag.StringVar(&c.casesDir, "cases", "bench/cases", "where generated cases are kept between runs")
	flag.StringVar(&c.resultsDir, "results", "bench/results", "where <tier>.md is written")
	flag.StringVar(&c.bin, "breachscope", "bin/breachscope", "the breachscope binary to measure")
	flag.StringVar(&c.floorBin, "floor", "bin/floor", "baseline A's runner (go build ./bench/floor)")
	flag.StringVar(&c.python, "python", "/usr/bin/python3", "Python with pandas (Debian's python3-pandas) for baseline B")
	flag.StringVar(&c.memoryLimit, "memory-limit", "", "DuckDB memory limit for breachscope and baseline A (default per tier: S 2GB, M 4GB, L and XL 8GB)")
	flag.IntVar(&c.threads, "threads", 0, "DuckDB threads for breachscope and baseline A (0: all cores)")
	flag.StringVar(&c.pandasMemory, "pandas-memory", "16GB", "address-space limit for baseline B, so running out of memory is a result, not a dead machine")
	flag.BoolVar(&c.skipPandas, "skip-pandas", false, "do not run baseline B")
	flag.BoolVar(&c.skipFloor, "skip-floor", false, "do not run baseline A")
	flag.BoolVar(&c.gzipLogs, "gzip-logs", false, "generate the case with gzipped logs (synth --gzip-logs; kept as <tier>-seed<n>-gz): XL in about 25 GB of inputs instead of 95")
	flag.Parse()
	c.tier = strings.ToUpper(c.tier)
	if c.memoryLimit == "" {
		c.memoryLimit = tierLimits[c.tier]
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, c); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c config) error {
	if _, ok := tierLimits[c.tier]; !ok {
		return fmt.Errorf("unknown tier %q: use S, M, L or XL", c.tier)
	}
	res := &results{Tier: c.tier, Config: c, Machine: describeMachine()}
	caseDir := filepath.Join(c.casesDir, fmt.Sprintf("%s-seed%d", c.tier, c.seed))
	if c.gzipLogs {
		caseDir += "-gz"
	}
	gen, err := ensureCase(ctx, c, caseDir)
	if err != nil {
		return err
	}
	res.Synth = gen
	if res.Answer, err = readAnswer(caseDir); err != nil {
		return err
	}
	res.InputBytes = dirBytes(caseDir, "customers.csv", "logs")
	logf("breachscope run on %s", caseDir)
	if res.Breachscope, err = runBreachscope(ctx, c, caseDir); err != nil {
		return err
	}
	if !c.skipFloor {
		logf("baseline A (bench/floor)")
		res.Floor = runFloor(ctx, c, caseDir)
	}
	if !c.skipPandas {
		logf("baseline B (bench/pandas)")
		res.Pandas = runPandas(ctx, c, caseDir)
	}
	if err := os.MkdirAll(c.resultsDir, 0o755); err != nil {
		return err
	}
	report := res.markdown()
	path := filepath.Join(c.resultsDir, c.tier+".md")
	if err := os.WriteFile(path, []byte(report), 0o644); err != nil {
		return err
	}
	fmt.Print(report)
	logf("wrote %s", path)
	if !res.exact() {
		return errors.New("a result differs from the generated answer (see the table)")
	}
	return nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}
