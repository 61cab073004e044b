package main

import (
	"fmt"
	"strings"
	"time"
)

// results is everything one `make bench` measured.
type results struct {
	Tier        string
	Config      config
	Machine     machine
	Synth       synthRun
	Answer      answer
	InputBytes  int64
	Breachscope breachscopeRun
	Floor       baselineRun
	Pandas      baselineRun
}

// phaseRows says which count of the run's manifest each phase works
// through, for its rows per second.
func (r *results) phaseRows(name string) int64 {
	c := r.Breachscope.Counts
	outRows := func(prefixes ...string) int64 {
		var n int64
		for _, o := range r.Breachscope.Outputs {
			for _, p := range prefixes {
				if strings.HasPrefix(o.Path, p) && !strings.HasSuffix(o.Path, "manifest.csv") {
					n += o.Rows
				}
			}
		}
		return n
	}
	switch name {
	case "ingest customers":
		return c["customer_records_read"]
	case "ingest logs":
		return c["log_lines_read"]
	case "scope and resolve":
		return c["requests"]
	case "people and notices", "reference codes":
		return c["people"]
	case "workbook": // its rows are the Individuals sheet's
		if n := r.Breachscope.WorkbookIndividuals; n > 0 {
			return min(c["people"], n)
		}
		return c["people"]
	case "notification files":
		return outRows("notify/")
	case "parquet exports":
		return outRows("data/people.parquet", "data/exposed_customers.parquet", "data/evidence.parquet", "data/unmatched")
	case "timeline":
		return outRows("timeline.jsonl")
	case "arrow export":
		return outRows("data/people.arrow")
	}
	return 0
}

func (r *results) exact() bool {
	want := r.Answer.ExposedCustomers
	ok := r.Breachscope.Counts["exposed_customers"] == want
	if !r.Config.skipFloor && r.Floor.Err == "" {
		ok = ok && r.Floor.Exposed == want
	}
	if !r.Config.skipPandas && r.Pandas.Err == "" {
		ok = ok && r.Pandas.Exposed == want
	}
	return ok
}

func (r *results) markdown() string {
	var b strings.Builder
	m := r.Machine
	fmt.Fprintf(&b, "# make bench, tier %s\n\n", r.Tier)
	fmt.Fprintf(&b, "Measured %s on %s, %d cores, %s memory, Linux %s; %s, DuckDB %s.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), m.CPU, m.Cores, gib(m.Memory), m.Kernel, m.Go, r.Breachscope.DuckDB)
	threads := "all cores"
	if r.Config.threads > 0 {
		threads = fmt.Sprint(r.Config.threads)
	}
	harnessGz, synthGz := "", ""
	if r.Config.gzipLogs {
		harnessGz, synthGz = " -gzip-logs", " --gzip-logs"
	}
	fmt.Fprintf(&b, "Reproduce: `make bench TIER=%s` (`go run ./bench/harness -tier %s -seed %d%s`); breachscope and baseline A run with `--memory-limit %s`, threads: %s.\n\n",
		r.Tier, r.Tier, r.Config.seed, harnessGz, r.Config.memoryLimit, threads)
	fmt.Fprintf(&b, "Case: `breachscope synth --tier %s --seed %d%s`: %s customers, %s log lines, %s exposed (the known answer); inputs %s.",
		r.Tier, r.Config.seed, synthGz, num(r.Answer.Customers), num(r.Answer.LogLines), num(r.Answer.ExposedCustomers), gib(r.InputBytes))
	if r.Synth.Reused {
		b.WriteString(" Reused from an earlier `make bench`.\n\n")
	} else {
		fmt.Fprintf(&b, " Generated in %.1f s, peak RSS %s.\n\n", r.Synth.Seconds, gib(r.Synth.PeakRSSBytes))
	}

	bs := r.Breachscope
	b.WriteString("## breachscope run, per phase\n\n| phase | seconds | rows | rows/s | peak RSS |\n|---|---:|---:|---:|---:|\n")
	for _, p := range bs.Phases {
		rows := r.phaseRows(p.Phase)
		rate := "-"
		if rows > 0 && p.Seconds > 0 {
			rate = num(int64(float64(rows) / p.Seconds))
		}
		fmt.Fprintf(&b, "| %s | %.1f | %s | %s | %s |\n", p.Phase, p.Seconds, numOrDash(rows), rate, gib(p.PeakRSSBytes))
	}
	fmt.Fprintf(&b, "| **whole process** (with start-up and hashing) | **%.1f** | | | **%s** |\n\n", bs.Seconds, gib(bs.PeakRSSBytes))

	b.WriteString("## Side by side: same files, same session\n\n| | seconds | peak RSS | exposed customers |\n|---|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| breachscope `run` (every output) | %.1f | %s | %s |\n", bs.Seconds, gib(bs.PeakRSSBytes), num(bs.Counts["exposed_customers"]))
	baseline := func(name string, skipped bool, br baselineRun) {
		switch {
		case skipped:
			fmt.Fprintf(&b, "| %s | not run | | |\n", name)
		case br.Err != "":
			fmt.Fprintf(&b, "| %s | failed after %.1f: %s | %s | |\n", name, br.Seconds, br.Err, gib(br.PeakRSSBytes))
		default:
			fmt.Fprintf(&b, "| %s | %.1f | %s | %s |\n", name, br.Seconds, gib(br.PeakRSSBytes), num(br.Exposed))
		}
	}
	baseline("A: bare DuckDB join (bench/floor)", r.Config.skipFloor, r.Floor)
	baseline("B: pandas (bench/pandas)", r.Config.skipPandas, r.Pandas)
	fmt.Fprintf(&b, "| known answer (expected/summary.json) | | | %s |\n\n", num(r.Answer.ExposedCustomers))

	b.WriteString("## Targets\n\n| target | measured | met |\n|---|---|---|\n")
	if r.Floor.Err == "" && !r.Config.skipFloor {
		ratio := bs.Seconds / r.Floor.Seconds
		fmt.Fprintf(&b, "| breachscope / A <= 1.3 | %.2f | %s |\n", ratio, yes(ratio <= 1.3))
	}
	switch {
	case r.Config.skipPandas:
	case r.Pandas.Err != "":
		fmt.Fprintf(&b, "| B / breachscope >= 5, or B runs out of memory | B failed: %s | %s |\n", r.Pandas.Err, yes(strings.HasPrefix(r.Pandas.Err, "out of memory")))
	default:
		ratio := r.Pandas.Seconds / bs.Seconds
		fmt.Fprintf(&b, "| B / breachscope >= 5 | %.2f | %s |\n", ratio, yes(ratio >= 5))
	}
	if limit, err := parseBytes(r.Config.memoryLimit); err == nil {
		// GB as DuckDB reads the limit: 8GB + 1 GB is 9,000,000,000 bytes
		fmt.Fprintf(&b, "| peak RSS <= memory limit + 1 GB (%s) | %s | %s |\n", gib(limit+1e9), gib(bs.PeakRSSBytes), yes(bs.PeakRSSBytes <= limit+1e9))
	}
	if r.Answer.LogLines > 0 {
		fmt.Fprintf(&b, "| seconds per million log lines (linear from M to L within 20%%: compare the tiers in BENCHMARKS.md) | %.2f | |\n",
			bs.Seconds/(float64(r.Answer.LogLines)/1e6))
	}
	fmt.Fprintf(&b, "| every exposed count equals the known answer | | %s |\n", yes(r.exact()))
	return b.String()
}

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func gib(n int64) string {
	if n <= 0 {
		return "-"
	}
	if n < 1<<30 {
		return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
}

// num writes an integer with thousands separators.
func num(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

func numOrDash(n int64) string {
	if n <= 0 {
		return "-"
	}
	return num(n)
}
