// Package phases records the phases of a run: how long each took and the
// most memory the process held during it, and tells an observer (the
// command line's progress display) as phases start, advance and end.
//
// A Recorder travels in the context, the way a trace span does, so that the
// packages doing the work mark their phases without every function growing
// a parameter; without a Recorder in the context marking costs nothing.
// Phases are flat: one runs at a time, so a phase's peak memory is its own.
// Starting a phase resets the kernel's high-water mark, which is also what
// getrusage and /usr/bin/time report: a process's peak is the largest of its
// phases' peaks (the manifest has them all).
package phases

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Record is one finished phase, as the manifest and `make bench` report it.
type Record struct {
	Phase   string  `json:"phase"`
	Seconds float64 `json:"seconds"`
	// PeakRSSBytes is the most resident memory the process held while the
	// phase ran (DuckDB's buffers included); 0 where the system cannot tell.
	PeakRSSBytes int64 `json:"peak_rss_bytes"`
}

// Unit says what a phase's progress counts.
type Unit int

// Units of progress.
const (
	Items Unit = iota
	Bytes
)

// Observer is told about phases as they happen. Calls come from the
// goroutine doing the work; an Observer must return quickly.
type Observer interface {
	// Started announces a phase; total is the amount of work (in unit)
	// when known, otherwise -1.
	Started(name string, total int64, unit Unit)
	// Advanced reports the work done so far in the current phase.
	Advanced(done int64)
	// Ended reports a finished phase.
	Ended(r Record)
}

// Recorder collects the records of a run's phases.
type Recorder struct {
	mu      sync.Mutex
	records []Record
	// statements and the phase they ran in, for Slowest.
	statements []StatementTiming
	// running is the phase under way, which Advance reports on.
	running *Phase
	obs     Observer
	now     func() time.Time
}

// NewRecorder returns a Recorder that tells obs (which may be nil) about
// each phase, timing them with now (time.Now when nil).
func NewRecorder(obs Observer, now func() time.Time) *Recorder {
	if now == nil {
		now = time.Now
	}
	return &Recorder{obs: obs, now: now}
}

// Records returns the finished phases in the order they ended (none for a
// nil Recorder).
func (r *Recorder) Records() []Record {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Record(nil), r.records...)
}

type recorderKey struct{}

// WithRecorder returns a context carrying r.
func WithRecorder(ctx context.Context, r *Recorder) context.Context {
	return context.WithValue(ctx, recorderKey{}, r)
}

// FromContext returns the Recorder ctx carries, or nil.
func FromContext(ctx context.Context) *Recorder {
	r, _ := ctx.Value(recorderKey{}).(*Recorder)
	return r
}

// Phase is a phase under way. The zero Phase (no Recorder) ignores every call.
type Phase struct {
	rec   *Recorder
	name  string
	start time.Time
	total int64
	// done may grow from a reading goroutine while the phase's own
	// goroutine runs a statement.
	done atomic.Int64
}

// Start begins the named phase of the run ctx records, resetting the
// process's peak memory so that the phase's own peak can be read at End.
func Start(ctx context.Context, name string) *Phase {
	return StartCounted(ctx, name, -1, Items)
}

// StartCounted begins a phase whose total amount of work is known (or -1),
// so progress can show a rate and an estimate.
func StartCounted(ctx context.Context, name string, total int64, unit Unit) *Phase {
	rec := FromContext(ctx)
	if rec == nil {
		return &Phase{}
	}
	resetPeakRSS()
	p := &Phase{rec: rec, name: name, start: rec.now(), total: total}
	rec.mu.Lock()
	rec.running = p
	rec.mu.Unlock()
	if rec.obs != nil {
		rec.obs.Started(name, total, unit)
	}
	return p
}

// Add reports n more units of work done. The work done never passes a
// known total: work read twice (a second pass over some files) is not
// more work than there is.
func (p *Phase) Add(n int64) {
	if p.rec == nil {
		return
	}
	done := p.done.Add(n)
	if p.total >= 0 {
		done = min(done, p.total)
	}
	if p.rec.obs != nil {
		p.rec.obs.Advanced(done)
	}
}

// Advance reports n more units of work done in the phase under way in the
// run ctx records, for code that reads data deep below the phase's start.
func Advance(ctx context.Context, n int64) {
	rec := FromContext(ctx)
	if rec == nil {
		return
	}
	rec.mu.Lock()
	p := rec.running
	rec.mu.Unlock()
	if p != nil {
		p.Add(n)
	}
}

// End finishes the phase and records it. Calling End twice records once.
func (p *Phase) End() {
	if p.rec == nil {
		return
	}
	r := Record{Phase: p.name, Seconds: p.rec.now().Sub(p.start).Seconds(), PeakRSSBytes: peakRSS()}
	p.rec.mu.Lock()
	p.rec.records = append(p.rec.records, r)
	if p.rec.running == p {
		p.rec.running = nil
	}
	p.rec.mu.Unlock()
	if p.rec.obs != nil {
		p.rec.obs.Ended(r)
	}
	p.rec = nil
}
