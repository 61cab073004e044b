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

// sourceFiles are the files a log source's path names, the note on the
// case's own files it left out, or why its path names nothing usable.
type sourceFiles struct {
	files []string
	note  string
	err   error
}

// findLogFiles finds every log source's files before the log ingest
// starts, so that its progress has a total, and returns that total: the
// stored size of every file. An error stays with its source and is
// reported when the ingest reaches it, in the sources' order.
func (in *ingester) findLogFiles() int64 {
	in.logFiles = map[string]sourceFiles{}
	var total int64
	for _, src := range in.c.Logs {
		var found sourceFiles
		found.files, found.note, found.err = in.inputFiles(src.Path)
		in.logFiles[src.Name] = found
		for _, f := range found.files {
			if st, err := os.Stat(f); err == nil {
				total += st.Size()
			}
		}
	}
	return total
}
