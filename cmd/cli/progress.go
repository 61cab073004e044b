package cli

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progress reports long phases on stderr, only when stderr is a terminal
// (scripts and logs get the summary alone) and never with --quiet or --json.
// It prints phase names and timings, never data.
type progress struct {
	w  io.Writer
	on bool
}

func newProgress(g *globalOptions) *progress {
	f, ok := g.streams.err.(*os.File)
	return &progress{w: g.streams.err, on: ok && isTerminal(f) && !g.quiet && !g.json}
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// phase announces a phase and returns the function that reports it done.
func (p *progress) phase(name string) func() {
	if !p.on {
		return func() {}
	}
	start := time.Now()
	fmt.Fprintf(p.w, "%s ...", name)
	return func() { fmt.Fprintf(p.w, "\r%s done in %.1fs\n", name, time.Since(start).Seconds()) }
}
