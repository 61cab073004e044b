package synth

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
)

// logFiles are the monthly log files, in time order. December is gzipped so
// ingest has to handle both.
var logFiles = []struct {
	name string
	gz   bool
	end  int64 // exclusive
}{
	{"api-2022-11.jsonl", false, decemberOne},
	{"api-2022-12.jsonl.gz", true, januaryOne},
	{"api-2023-01.jsonl", false, trafficEnd},
}

// Bad lines planted in the logs: ingest must quarantine each one, and the
// answer counts them as rejected.
type injectKind uint8

const (
	injTruncated injectKind = iota // a JSON object cut in half
	injBadTime                     // valid JSON, ts "not-a-time"
	injBlank                       // an empty line
)

type injection struct {
	ts   int64
	kind injectKind
}

// injections, in time order; each lands in the file of its month, before
// the first request at or after its time.
var injections = []injection{
	{unix(2022, 11, 22) + 8*3600, injTruncated},
	{unix(2022, 11, 26) + 12*3600, injBlank},
	{unix(2022, 11, 27) + 10*3600, injBadTime},
	{unix(2022, 12, 15), injTruncated},
	{unix(2023, 1, 4) + 6*3600, injTruncated},
}

// logWriter routes lines to the monthly files and counts them.
type logWriter struct {
	files []*bufferedFile
	outs  []io.Writer
	gzs   []*gzip.Writer
	lines int
	buf   bytes.Buffer
	enc   *json.Encoder
}

func openLogs(dir string) (*logWriter, error) {
	lw := &logWriter{}
	lw.enc = json.NewEncoder(&lw.buf)
	lw.enc.SetEscapeHTML(false)
	for _, lf := range logFiles {
		f, err := createFile(filepath.Join(dir, lf.name))
		if err != nil {
			lw.abort()
			return nil, err
		}
		lw.files = append(lw.files, f)
		var out io.Writer = f
		var gz *gzip.Writer
		if lf.gz {
			// A zero header (no name, no ModTime) keeps the bytes the same
			// from run to run.
			gz, _ = gzip.NewWriterLevel(f, gzip.DefaultCompression)
			out = gz
		}
		lw.outs = append(lw.outs, out)
		lw.gzs = append(lw.gzs, gz)
	}
	return lw, nil
}

func fileIndex(ts int64) int {
	for i, lf := range logFiles {
		if ts < lf.end {
			return i
		}
	}
	return len(logFiles) - 1
}

// writeLine writes l (plus a newline) to the file for ts; transform may
// damage the encoded line to make a rejected one.
func (lw *logWriter) writeLine(ts int64, l *logLine, transform func([]byte) []byte) error {
	lw.buf.Reset()
	var line []byte
	if l != nil {
		if err := lw.enc.Encode(l); err != nil {
			return err
		}
		line = lw.buf.Bytes()
	} else {
		line = []byte("\n")
	}
	if transform != nil {
		line = transform(line)
	}
	lw.lines++
	_, err := lw.outs[fileIndex(ts)].Write(line)
	return err
}

func (lw *logWriter) close() error {
	var first error
	for i, f := range lw.files {
		if lw.gzs[i] != nil {
			if err := lw.gzs[i].Close(); err != nil && first == nil {
				first = err
			}
		}
		if err := f.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (lw *logWriter) abort() {
	for _, f := range lw.files {
		f.f.Close()
	}
}

// writeLogs merges legitimate traffic, the attacker's plan and the planted
// bad lines into the log files in time order, feeding every accepted
// request to the tally as it goes.
func writeLogs(ctx context.Context, dir string, m *model, attack []event, t *tally) error {
	lw, err := openLogs(dir)
	if err != nil {
		return err
	}
	injRng := newRand(m.seed, streamInject)
	gen := newTrafficGen(m)
	normal, haveNormal := gen.next()
	ai, ii := 0, 0
	var seq uint64

	emit := func(e *event) error {
		seq++
		l := m.render(e, seq)
		t.add(e)
		return lw.writeLine(e.ts, &l, nil)
	}
	inject := func(inj injection) error {
		e := m.normalRequest(injRng)
		e.ts = inj.ts
		seq++
		l := m.render(&e, seq)
		t.rejected++
		switch inj.kind {
		case injBlank:
			return lw.writeLine(inj.ts, nil, nil)
		case injBadTime:
			l.TS = "not-a-time"
			return lw.writeLine(inj.ts, &l, nil)
		default:
			return lw.writeLine(inj.ts, &l, func(b []byte) []byte {
				cut := b[:len(b)/2]
				return append(cut, '\n')
			})
		}
	}

	for n := 0; ; n++ {
		if n%8192 == 0 {
			if err := ctx.Err(); err != nil {
				lw.abort()
				return err
			}
		}
		// Ties go to the bad line, then legitimate traffic, then the
		// attacker: any fixed order keeps the output reproducible.
		next := int64(-1)
		which := 0
		if ii < len(injections) {
			next, which = injections[ii].ts, 1
		}
		if haveNormal && (next < 0 || normal.ts < next) {
			next, which = normal.ts, 2
		}
		if ai < len(attack) && (next < 0 || attack[ai].ts < next) {
			next, which = attack[ai].ts, 3
		}
		switch which {
		case 0:
			t.lines = lw.lines
			return lw.close()
		case 1:
			err = inject(injections[ii])
			ii++
		case 2:
			err = emit(&normal)
			normal, haveNormal = gen.next()
		case 3:
			err = emit(&attack[ai])
			ai++
		}
		if err != nil {
			lw.abort()
			return err
		}
	}
}
