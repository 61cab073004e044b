// Package check validates a case before the long run: the inputs exist
// and are readable, the mapped customer columns exist, a sample of each log
// source parses, each endpoint pattern matches sampled requests, the
// identifiers of sampled requests match customers, and the scope
// indicators and window select sampled requests. It reports counts only,
// never values from the inputs.
//
// The sample is parsed by the real ingest and resolve code in a scratch
// in-memory database, so what check reports is what run will do.
package check

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/store"
)

// ErrProblems is returned (wrapped) by callers when a report has failures.
var ErrProblems = errors.New("the case has problems: fix them before the long run")

// Status is the outcome of one check.
type Status string

// Statuses, from good to bad.
const (
	OK   Status = "ok"
	Warn Status = "warn"
	Fail Status = "fail"
)

// Item is one check's outcome: a finding about an area (customers, logs,
// endpoint, identifiers, scope) and a named thing in it.
type Item struct {
	Area   string `json:"area"`
	Name   string `json:"name"`
	Status Status `json:"status"`
	Detail string `json:"detail"`
}

// Report is every check's outcome.
type Report struct {
	Items []Item `json:"checks"`
	// SampledLines and SampledRequests describe the log sample.
	SampledLines    int64 `json:"sampled_lines"`
	SampledRequests int64 `json:"sampled_requests"`
	Failures        int   `json:"failures"`
	Warnings        int   `json:"warnings"`
}

func (r *Report) add(area, name string, st Status, format string, args ...any) {
	r.Items = append(r.Items, Item{Area: area, Name: name, Status: st, Detail: fmt.Sprintf(format, args...)})
	switch st {
	case Fail:
		r.Failures++
	case Warn:
		r.Warnings++
	}
}

// Options configures Run.
type Options struct {
	// SampleLines is how many lines of each sampled log file are parsed
	// (default 10000); 0 or less with All set parses every line.
	SampleLines int
	// SampleFiles is how many files of each log source are sampled (default 6).
	SampleFiles int
	// All parses every line of every log file instead of a sample.
	All bool
	// Store configures the scratch database.
	Store store.Options
}

// Run checks the case c (already loaded and validated).
func Run(ctx context.Context, c *casefile.Case, opts Options) (*Report, error) {
	if opts.SampleLines <= 0 {
		opts.SampleLines = 10000
	}
	if opts.SampleFiles <= 0 {
		opts.SampleFiles = 6
	}
	r := &Report{}
	files := checkFiles(c, r)
	if opts.Store.TempDir == "" {
		opts.Store.TempDir = filepath.Join(c.Dir, ".tmp")
		if _, err := os.Stat(opts.Store.TempDir); errors.Is(err, os.ErrNotExist) {
			defer os.RemoveAll(opts.Store.TempDir)
		}
	}
	db, err := store.Open(ctx, "", opts.Store)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := checkColumns(ctx, db, c, files, r); err != nil {
		return nil, err
	}
	if r.Failures > 0 {
		r.sort()
		return r, nil // a sample run on missing files or columns tells nothing more
	}
	s, err := newSampler(c, files, opts)
	if err != nil {
		return nil, err
	}
	defer s.close()
	if err := s.run(ctx, db, r); err != nil {
		return nil, err
	}
	r.sort()
	return r, nil
}

// areaOrder is the order areas are reported in, inputs first.
var areaOrder = map[string]int{"customers": 0, "logs": 1, "ingest": 2, "endpoint": 3, "identifiers": 3, "scope": 4}

// sort groups items by area, keeping each area's own order.
func (r *Report) sort() {
	sort.SliceStable(r.Items, func(i, j int) bool { return areaOrder[r.Items[i].Area] < areaOrder[r.Items[j].Area] })
}
