package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// measured is one process's wall time and peak resident memory.
type measured struct {
	Seconds      float64
	PeakRSSBytes int64
	Err          string // "" when it succeeded
}

// runMeasured runs a command to completion, timing it and reading its peak
// RSS from the kernel's accounting of the child (getrusage).
func runMeasured(ctx context.Context, stdout *bytes.Buffer, name string, args ...string) measured {
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	m := measured{Seconds: time.Since(start).Seconds()}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			m.PeakRSSBytes = ru.Maxrss << 10 // kilobytes on Linux
		}
	}
	if err != nil {
		m.Err = fmt.Sprintf("%v: %s", err, lastLine(stderr.String()))
	}
	return m
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// synthRun is how the case was obtained.
type synthRun struct {
	Reused bool
	measured
}

func ensureCase(ctx context.Context, c config, dir string) (synthRun, error) {
	if _, err := os.Stat(filepath.Join(dir, "expected", "summary.json")); err == nil {
		logf("reusing %s", dir)
		return synthRun{Reused: true}, nil
	}
	os.RemoveAll(dir) // a half-generated case from an interrupted run
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return synthRun{}, err
	}
	logf("generating tier %s into %s", c.tier, dir)
	args := []string{"synth", "--tier", c.tier, "--seed", strconv.FormatUint(c.seed, 10), dir}
	if c.gzipLogs {
		args = append(args, "--gzip-logs")
	}
	m := runMeasured(ctx, &bytes.Buffer{}, c.bin, args...)
	if m.Err != "" {
		return synthRun{}, fmt.Errorf("synth: %s", m.Err)
	}
	return synthRun{measured: m}, nil
}

// answer is the generated case's known answer (expected/summary.json).
type answer struct {
	Customers        int64 `json:"customers"`
	LogLines         int64 `json:"log_lines"`
	ExposedCustomers int64 `json:"exposed_customers"`
}

func readAnswer(dir string) (answer, error) {
	var a answer
	b, err := os.ReadFile(filepath.Join(dir, "expected", "summary.json"))
	if err == nil {
		err = json.Unmarshal(b, &a)
	}
	return a, err
}

// breachscopeRun is the product's run: the process as a whole and the
// phases its manifest records.
type breachscopeRun struct {
	measured
	Phases  []phase
	Counts  map[string]int64
	Outputs []output
	DuckDB  string
	// WorkbookIndividuals is the run's cap on the workbook's Individuals
	// sheet (0: everyone).
	WorkbookIndividuals int64
}

type phase struct {
	Phase        string  `json:"phase"`
	Seconds      float64 `json:"seconds"`
	PeakRSSBytes int64   `json:"peak_rss_bytes"`
}

type output struct {
	Path string `json:"path"`
	Rows int64  `json:"rows"`
	Size int64  `json:"size"`
}

func runBreachscope(ctx context.Context, c config, dir string) (breachscopeRun, error) {
	const runID = "bench"
	os.RemoveAll(filepath.Join(dir, "runs", runID))
	args := []string{"run", "--quiet", "--run-id", runID, "--memory-limit", c.memoryLimit}
	if c.threads > 0 {
		args = append(args, "--threads", strconv.Itoa(c.threads))
	}
	r := breachscopeRun{measured: runMeasured(ctx, &bytes.Buffer{}, c.bin, append(args, dir)...)}
	if r.Err != "" {
		return r, fmt.Errorf("breachscope run: %s", r.Err)
	}
	var m struct {
		Tool struct{ DuckDB string }
		Run  struct {
			Phases  []phase
			Options struct {
				WorkbookIndividuals int64 `json:"workbook_individuals"`
			}
		}
		Counts  map[string]int64
		Outputs []output
	}
	b, err := os.ReadFile(filepath.Join(dir, "runs", runID, "manifest.json"))
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil {
		return r, fmt.Errorf("read the run's manifest: %w", err)
	}
	r.Phases, r.Counts, r.Outputs, r.DuckDB = m.Run.Phases, m.Counts, m.Outputs, m.Tool.DuckDB
	r.WorkbookIndividuals = m.Run.Options.WorkbookIndividuals
	// breachscope resets the kernel's high-water mark at each phase (to
	// measure the phase's own peak), which getrusage reports too: the
	// process's peak is the largest of its phases' and the rest.
	for _, p := range r.Phases {
		r.PeakRSSBytes = max(r.PeakRSSBytes, p.PeakRSSBytes)
	}
	return r, nil
}

// baselineRun is a baseline's process and the exposed customers it found.
type baselineRun struct {
	measured
	Exposed int64
}

func runFloor(ctx context.Context, c config, dir string) baselineRun {
	out := filepath.Join(os.TempDir(), "breachscope-bench-floor.csv")
	defer os.Remove(out)
	tmp, err := os.MkdirTemp(dir, ".floor-tmp")
	if err != nil {
		return baselineRun{measured: measured{Err: err.Error()}}
	}
	defer os.RemoveAll(tmp)
	var stdout bytes.Buffer
	args := []string{"-case", dir, "-out", out, "-memory-limit", c.memoryLimit, "-temp-dir", tmp}
	if c.threads > 0 {
		args = append(args, "-threads", strconv.Itoa(c.threads))
	}
	m := runMeasured(ctx, &stdout, c.floorBin, args...)
	return baselineRun{measured: m, Exposed: exposedFrom(stdout.String())}
}

func runPandas(ctx context.Context, c config, dir string) baselineRun {
	limitKB, err := parseBytes(c.pandasMemory)
	if err != nil {
		return baselineRun{measured: measured{Err: err.Error()}}
	}
	out := filepath.Join(os.TempDir(), "breachscope-bench-pandas.csv")
	defer os.Remove(out)
	var stdout bytes.Buffer
	// ulimit -v makes running out of memory a MemoryError, not the kernel's
	// OOM killer taking the machine's other work with it.
	script := fmt.Sprintf("ulimit -v %d && exec \"$0\" bench/pandas/baseline.py \"$1\" \"$2\"", limitKB>>10)
	m := runMeasured(ctx, &stdout, "sh", "-c", script, c.python, dir, out)
	// pandas and numpy say "out of memory" in several ways.
	for _, oom := range []string{"MemoryError", "Could not reserve memory block", "Unable to allocate"} {
		if m.Err != "" && strings.Contains(m.Err, oom) {
			m.Err = "out of memory (" + oom + " at the " + c.pandasMemory + " address-space limit)"
			break
		}
	}
	return baselineRun{measured: m, Exposed: exposedFrom(stdout.String())}
}

func exposedFrom(stdout string) int64 {
	for _, line := range strings.Split(stdout, "\n") {
		if v, ok := strings.CutPrefix(line, "exposed_customers "); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n
		}
	}
	return -1
}

// parseBytes reads sizes as DuckDB reads --memory-limit: KB, MB, GB and TB
// are powers of 1000 (8GB is 8,000,000,000 bytes, 7.45 GiB), KiB, MiB, GiB
// and TiB powers of 1024.
func parseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		factor float64
	}{{"TIB", 1 << 40}, {"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10},
		{"TB", 1e12}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}}
	for _, u := range units {
		if v, ok := strings.CutSuffix(strings.ToUpper(s), u.suffix); ok {
			n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return 0, fmt.Errorf("size %q: %w", s, err)
			}
			return int64(n * u.factor), nil
		}
	}
	return 0, fmt.Errorf("size %q: want a number with B, KB, MB, GB, TB or KiB, MiB, GiB, TiB", s)
}

// machine describes where the figures were measured.
type machine struct {
	CPU    string
	Cores  int
	Memory int64
	Kernel string
	Go     string
}

func describeMachine() machine {
	m := machine{Cores: runtime.NumCPU(), Go: runtime.Version()}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "model name"); ok {
				m.CPU = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(strings.SplitN(string(b), "\n", 2)[0], "MemTotal:")), "%d", &kb)
		m.Memory = kb << 10
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

func dirBytes(dir string, names ...string) int64 {
	var n int64
	for _, name := range names {
		filepath.Walk(filepath.Join(dir, name), func(_ string, info os.FileInfo, err error) error {
			if err == nil && info.Mode().IsRegular() {
				n += info.Size()
			}
			return nil
		})
	}
	return n
}
