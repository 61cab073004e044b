package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/breachscope/breachscope/analysis/phases"
)

// progress reports the phases of a run on stderr, never data: on a terminal
// a live bar or spinner per phase (work done, rate, elapsed, an estimate
// where the total is known), elsewhere one line per finished phase, and
// nothing with --quiet or --json.
type progress struct {
	w     io.Writer
	live  bool // stderr is a terminal
	quiet bool
	bar   *progressbar.ProgressBar
}

func newProgress(g *globalOptions) *progress {
	f, ok := g.streams.err.(*os.File)
	return &progress{w: g.streams.err, live: ok && isTerminal(f), quiet: g.quiet || g.json}
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Started implements phases.Observer.
func (p *progress) Started(name string, total int64, unit phases.Unit) {
	if p.quiet || !p.live {
		return
	}
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(fmt.Sprintf("%-20s", name)),
		progressbar.OptionShowBytes(unit == phases.Bytes),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(total > 0),
		progressbar.OptionThrottle(200 * time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
	}
	if total > 0 { // a spinner with "0/-" would say nothing
		opts = append(opts, progressbar.OptionShowCount())
	}
	p.bar = progressbar.NewOptions64(total, opts...)
	p.bar.RenderBlank()
}

// Advanced implements phases.Observer.
func (p *progress) Advanced(done int64) {
	if p.bar != nil {
		p.bar.Set64(done)
	}
}

// Ended implements phases.Observer.
func (p *progress) Ended(r phases.Record) {
	if p.bar != nil {
		p.bar.Finish()
		p.bar.Exit()
		p.bar = nil
	}
	if p.quiet {
		return
	}
	fmt.Fprintf(p.w, "%-20s %7.1fs  peak memory %s\n", r.Phase, r.Seconds, phases.FormatBytes(r.PeakRSSBytes))
}
