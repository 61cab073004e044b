package synth

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
)

// Bad lines planted in the logs: ingest must quarantine each one, and the
// answer counts them as rejected. Each format plants its own kind of damage
// (see the layouts' bad functions).
type injectKind uint8

const (
	injTruncated injectKind = iota // a line cut short (a record missing its time, in formats without lines)
	injBadTime                     // a time that is no time ("not-a-time")
	injBlank                       // an empty line (a record that is not an object, or an empty row)
)

type injection struct {
	ts   int64
	kind injectKind
}

// injections, in time order; each lands in the file of its time, before
// the first request at or after its time.
var injections = []injection{
	{unix(2022, 11, 22) + 8*3600, injTruncated},
	{unix(2022, 11, 26) + 12*3600, injBlank},
	{unix(2022, 11, 27) + 10*3600, injBadTime},
	{unix(2022, 12, 15), injTruncated},
	{unix(2023, 1, 4) + 6*3600, injTruncated},
}

// logSink receives the requests and planted bad units of one format, in
// time order, and writes its files.
type logSink interface {
	request(ts int64, l *logLine) error
	bad(ts int64, l *logLine, k injectKind) error
	close() error
	abort()
}

// layout is how a text format's units become files: which file a unit at
// a time goes to, what starts and ends every file, what separates units,
// and how a request and a bad unit are written.
type layout struct {
	route  func(ts int64) (name string, gz bool) // relative to logs/
	header []byte
	sep    []byte
	footer []byte
	encode func(b *bytes.Buffer, ts int64, l *logLine) error
	bad    func(b *bytes.Buffer, ts int64, l *logLine, k injectKind) error
}

// unitWriter writes one layout's files one after another: units arrive in
// time order, so a file is complete when the route moves on.
type unitWriter struct {
	dir string
	lay layout
	// fast gzips at the fastest level (Options.GzipLogs: the volume of a
	// tier case), not the default one.
	fast  bool
	name  string
	f     *bufferedFile
	gz    *gzip.Writer
	out   io.Writer
	units int // in the current file
	buf   bytes.Buffer
}

func (w *unitWriter) write(ts int64, fill func(b *bytes.Buffer) error) error {
	name, gz := w.lay.route(ts)
	if name != w.name || w.f == nil {
		if err := w.finish(); err != nil {
			return err
		}
		if err := w.open(name, gz); err != nil {
			return err
		}
	}
	w.buf.Reset()
	if w.units > 0 {
		w.buf.Write(w.lay.sep)
	}
	if err := fill(&w.buf); err != nil {
		return err
	}
	w.units++
	_, err := w.out.Write(w.buf.Bytes())
	return err
}

func (w *unitWriter) open(name string, gz bool) error {
	path := filepath.Join(w.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), dirMode); err != nil {
		return err
	}
	f, err := createFile(path)
	if err != nil {
		return err
	}
	w.name, w.f, w.out, w.gz, w.units = name, f, f, nil, 0
	if gz {
		// A zero header (no name, no ModTime) keeps the bytes the same
		// from run to run.
		level := gzip.DefaultCompression
		if w.fast {
			level = gzip.BestSpeed
		}
		w.gz, _ = gzip.NewWriterLevel(f, level)
		w.out = w.gz
	}
	_, err = w.out.Write(w.lay.header)
	return err
}

// finish completes the current file, if any.
func (w *unitWriter) finish() error {
	if w.f == nil {
		return nil
	}
	_, err := w.out.Write(w.lay.footer)
	if w.gz != nil {
		if cerr := w.gz.Close(); err == nil {
			err = cerr
		}
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	w.f = nil
	return err
}

func (w *unitWriter) request(ts int64, l *logLine) error {
	return w.write(ts, func(b *bytes.Buffer) error { return w.lay.encode(b, ts, l) })
}

func (w *unitWriter) bad(ts int64, l *logLine, k injectKind) error {
	return w.write(ts, func(b *bytes.Buffer) error { return w.lay.bad(b, ts, l, k) })
}

func (w *unitWriter) close() error { return w.finish() }

func (w *unitWriter) abort() {
	if w.f != nil {
		w.f.f.Close()
		w.f = nil
	}
}

// writeLogs merges legitimate traffic, the attacker's plan and the planted
// bad lines into the log files in time order, feeding every accepted
// request to the tally as it goes.
func writeLogs(ctx context.Context, dir string, m *model, attack *attackPlan, normalRequests int, t *tally, format string) error {
	sink, err := newSink(dir, format, period{daily: m.daily, gzip: m.gzipLogs})
	if err != nil {
		return err
	}
	injRng := newRand(m.seed, streamInject)
	gen := newTrafficGen(m, normalRequests)
	normal, haveNormal := gen.next()
	nextAttack, stop := iter.Pull(attack.events())
	defer stop()
	hit, haveHit := nextAttack()
	ii := 0
	var seq uint64

	emit := func(e *event) error {
		seq++
		l := m.render(e, seq)
		t.add(e)
		t.lines++
		return sink.request(e.time(), &l)
	}
	inject := func(inj injection) error {
		e := m.normalRequest(injRng)
		e.setTime(inj.ts)
		seq++
		l := m.render(&e, seq)
		t.rejected++
		t.lines++
		return sink.bad(inj.ts, &l, inj.kind)
	}

	for n := 0; ; n++ {
		if n%8192 == 0 {
			if err := ctx.Err(); err != nil {
				sink.abort()
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
		if haveNormal && (next < 0 || normal.time() < next) {
			next, which = normal.time(), 2
		}
		if haveHit && (next < 0 || hit.time() < next) {
			next, which = hit.time(), 3
		}
		switch which {
		case 0:
			return sink.close()
		case 1:
			err = inject(injections[ii])
			ii++
		case 2:
			err = emit(&normal)
			normal, haveNormal = gen.next()
		case 3:
			err = emit(&hit)
			hit, haveHit = nextAttack()
		}
		if err != nil {
			sink.abort()
			return err
		}
	}
}

// newSink returns the writer of a log format's files under dir (logs/).
func newSink(dir, format string, p period) (logSink, error) {
	switch format {
	case "alb":
		return &albSink{
			alb: &unitWriter{dir: dir, lay: albLayout()},
			app: &unitWriter{dir: dir, lay: appLayout(p), fast: p.gzip},
		}, nil
	case "parquet":
		return newParquetSink(dir, p)
	}
	lay, ok := layouts(p)[format]
	if !ok {
		return nil, fmt.Errorf("synth: unknown log format %q; formats: %s", format, formatList())
	}
	return &unitWriter{dir: dir, lay: lay, fast: p.gzip}, nil
}

// albSink writes ALB access logs and, for the caller identity the load
// balancer does not log, the application's own log of the same requests
// keyed by the ALB trace id (the identity source of the case file).
type albSink struct {
	alb, app *unitWriter
}

func (s *albSink) request(ts int64, l *logLine) error {
	if err := s.alb.request(ts, l); err != nil {
		return err
	}
	app := *l
	app.RequestID = traceID(ts, l.RequestID)
	return s.app.request(ts, &app)
}

func (s *albSink) bad(ts int64, l *logLine, k injectKind) error { return s.alb.bad(ts, l, k) }

func (s *albSink) close() error {
	err := s.alb.close()
	if cerr := s.app.close(); err == nil {
		err = cerr
	}
	return err
}

func (s *albSink) abort() {
	s.alb.abort()
	s.app.abort()
}
