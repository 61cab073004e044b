package ingest

import (
	"context"
	"os"

	"github.com/breachscope/breachscope/analysis/phases"
)

// fileProgress reports a log file's bytes to the running phase as its
// lines are read. Offsets are in the decompressed stream while the phase
// counts files as stored, so a compressed file's progress stops at its
// size until it is finished: an estimate that never overshoots.
type fileProgress struct {
	ctx      context.Context
	size     int64
	reported int64
}

func newFileProgress(ctx context.Context, path string) *fileProgress {
	p := &fileProgress{ctx: ctx}
	if st, err := os.Stat(path); err == nil {
		p.size = st.Size()
	}
	return p
}

// at reports the file read up to offset.
func (p *fileProgress) at(offset int64) {
	if n := min(offset, p.size) - p.reported; n > 0 {
		phases.Advance(p.ctx, n)
		p.reported += n
	}
}

// finish reports the whole file read.
func (p *fileProgress) finish() { p.at(p.size) }

// logBytes is the stored size of every file the case's log sources name,
// the total of the log ingest's progress.
func logBytes(caseDir string, patterns []string) int64 {
	var n int64
	for _, pattern := range patterns {
		files, err := expand(caseDir, pattern)
		if err != nil {
			continue // ingest reports it when it reaches the source
		}
		for _, f := range files {
			if st, err := os.Stat(f); err == nil {
				n += st.Size()
			}
		}
	}
	return n
}
