package cli

import (
	"os"
	"strings"
	"testing"
)

// TestProgressOnlyOnATerminal: progress goes to a terminal only; a pipe or
// a buffer (scripts, logs, CI) gets nothing, and --quiet silences it.
func TestProgressOnlyOnATerminal(t *testing.T) {
	var buf strings.Builder
	p := newProgress(&globalOptions{streams: &streams{err: &buf}})
	p.phase("ingest")()
	if buf.Len() != 0 || p.on {
		t.Fatalf("progress written to a non-terminal: %q", buf.String())
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if newProgress(&globalOptions{streams: &streams{err: w}}).on {
		t.Fatal("a pipe is not a terminal")
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		if !newProgress(&globalOptions{streams: &streams{err: tty}}).on {
			t.Error("progress off on a terminal")
		}
		if newProgress(&globalOptions{streams: &streams{err: tty}, quiet: true}).on {
			t.Error("--quiet must silence progress")
		}
	}
	var shown strings.Builder
	(&progress{w: &shown, on: true}).phase("report")()
	if !strings.HasPrefix(shown.String(), "report ...\rreport done in ") {
		t.Errorf("phase output %q", shown.String())
	}
}
