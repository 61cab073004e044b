package cli

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/breachscope/breachscope/analysis/phases"
)

// runPhases drives an observer through two phases, the first counted in bytes.
func runPhases(obs phases.Observer) {
	tick := time.Unix(0, 0)
	clock := func() time.Time { tick = tick.Add(1500 * time.Millisecond); return tick }
	ctx := phases.WithRecorder(context.Background(), phases.NewRecorder(obs, clock))
	p := phases.StartCounted(ctx, "ingest logs", 4<<20, phases.Bytes)
	p.Add(1 << 20)
	p.Add(3 << 20)
	p.End()
	phases.Start(ctx, "workbook").End()
}

var phaseLine = regexp.MustCompile(`(?m)(?:^|\r)(ingest logs|workbook) +1\.5s  peak memory [0-9.]+ [KMG]iB$`)

// A pipe or a buffer (scripts, logs, CI) gets one line per finished phase;
// --quiet and --json silence it.
func TestProgressLinesOffATerminal(t *testing.T) {
	var buf strings.Builder
	p := newProgress(&globalOptions{streams: &streams{err: &buf}})
	if p.live {
		t.Fatal("a buffer is not a terminal")
	}
	runPhases(p)
	if got := phaseLine.FindAllString(buf.String(), -1); len(got) != 2 || strings.Count(buf.String(), "\n") != 2 {
		t.Fatalf("want exactly one line per phase, got %q", buf.String())
	}
	for _, g := range []*globalOptions{{quiet: true}, {json: true}} {
		var silent strings.Builder
		g.streams = &streams{err: &silent}
		runPhases(newProgress(g))
		if silent.Len() != 0 {
			t.Errorf("quiet=%v json=%v: wrote %q", g.quiet, g.json, silent.String())
		}
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if newProgress(&globalOptions{streams: &streams{err: w}}).live {
		t.Fatal("a pipe is not a terminal")
	}
}

// On a terminal each phase has a live bar (bytes with a total here) that is
// cleared when the phase ends, leaving its one-line summary.
func TestProgressLiveOnATerminal(t *testing.T) {
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		if !newProgress(&globalOptions{streams: &streams{err: tty}}).live {
			t.Error("no live progress on a terminal")
		}
	}
	var shown strings.Builder
	runPhases(&progress{w: &shown, live: true})
	out := shown.String()
	if !strings.Contains(out, "ingest logs") || !strings.Contains(out, "MB") {
		t.Errorf("no byte progress bar for ingest logs in %q", out)
	}
	if got := phaseLine.FindAllString(out, -1); len(got) != 2 {
		t.Errorf("want the two phase summaries after the bars, got %q", out)
	}
}
