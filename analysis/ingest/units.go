package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/marcboeker/go-duckdb/v2"

	"github.com/breachscope/breachscope/analysis/store"
)

// unitFunction is the SQL table function through which the format scripts
// read a source's units: bs_log_units($units) yields every physical line
// (or CloudTrail record) of the source's files as input_id, line,
// byte_offset, reason (the code of why Go rejected the unit before parsing,
// 0 when it did not: see unitReasons), has_text (false when the unit's
// content is not kept: over-long lines, damaged records) and text. Go
// reads, decompresses and hashes each file once and numbers its lines
// exactly; DuckDB parses the lines on all its threads as they stream in,
// with no copy of them in a table. ($units names the batch of files Go
// registered for one statement.)
const unitFunction = "bs_log_units"

// unitBatchRows and unitBatchBytes bound one hand-over from the reader to
// DuckDB: a DuckDB vector's worth of units, or fewer when lines are long;
// with unitBatchesAhead read ahead and as many kept for reuse, the reader
// holds a few megabytes (some tens with lines of a megabyte).
const (
	unitBatchRows    = 2048
	unitBatchBytes   = 4 << 20
	unitBatchesAhead = 4
)

// unitReasons are the reasons a unit reader rejects a unit with, by code
// (1-based): a code costs DuckDB less than a string on every unit.
var unitReasons = []string{reasonEmptyLine, reasonInvalidUTF8, reasonLongLine, reasonTruncatedLine, utf16Reason,
	reasonLongRecord, reasonBadJSONRest, reasonTruncatedRecord, reasonDamagedStream, reasonNotRecord, reasonRecordsNotList}

var unitReasonCodes = func() map[string]int16 {
	m := map[string]int16{}
	for k, r := range unitReasons {
		m[r] = int16(k + 1)
	}
	return m
}()

// unitFile is one file a unitSource reads.
type unitFile struct {
	in   *Input
	path string
	// skipHeader: the first line is the header (csv, tsv), read beforehand.
	skipHeader bool
}

// unitBatch is a run of units with their text in one buffer.
type unitBatch struct {
	input        []int32
	number, off  []int64
	reason       []int16
	hasText      []bool
	end          []int // text of unit k is text[end[k-1]:end[k]]
	text         []byte
	nextAt, size int
}

func (b *unitBatch) reset() {
	b.input, b.number, b.off, b.reason, b.hasText, b.end, b.text = b.input[:0], b.number[:0], b.off[:0], b.reason[:0], b.hasText[:0], b.end[:0], b.text[:0]
	b.nextAt, b.size = 0, 0
}

func (b *unitBatch) add(input int32, l line) error {
	code, ok := unitReasonCodes[l.Reason]
	if !ok && l.Reason != "" {
		return fmt.Errorf("line %d: reason %q is missing from unitReasons", l.Number, l.Reason)
	}
	b.input = append(b.input, input)
	b.number = append(b.number, l.Number)
	b.off = append(b.off, l.Offset)
	b.reason = append(b.reason, code)
	kept := l.Text != nil && len(l.Text) <= MaxLineBytes
	b.hasText = append(b.hasText, kept)
	switch {
	case !kept:
	case l.Reason != "" && !utf8.Valid(l.Text):
		// DuckDB only stores valid UTF-8; the bad bytes of a rejected unit
		// become U+FFFD (an accepted one was checked by its reader).
		b.text = append(b.text, strings.ToValidUTF8(string(l.Text), "\uFFFD")...)
	default:
		b.text = append(b.text, l.Text...)
	}
	b.end = append(b.end, len(b.text))
	b.size++
	return nil
}

func (b *unitBatch) full() bool { return b.size >= unitBatchRows || len(b.text) >= unitBatchBytes }

// unitSource reads the files of one statement's batch, in order, in a
// goroutine and hands their units to DuckDB's threads in batches. It
// records each file's line count, warning, size and hash in its Input;
// when a file was read before (the quarantining pass reads it again), a
// different hash means it changed during the ingest.
type unitSource struct {
	ctx     context.Context
	read    unitReader
	files   []unitFile
	batches chan *unitBatch
	free    chan *unitBatch
	stop    chan struct{}
	start   sync.Once
	stopped sync.Once
	done    chan struct{}
	// err is set by the reader before it closes batches, when a file
	// cannot be read (not when the statement stopped reading).
	err error
	// finished counts the files read to their end.
	finished atomic.Int64
}

// errFileChanged is returned when a file's hash differs between the two
// readings of one ingest.
var errFileChanged = errors.New("the file changed while it was being ingested: ingest again once nothing writes to it")

func newUnitSource(ctx context.Context, read unitReader, files []unitFile) *unitSource {
	s := &unitSource{ctx: ctx, read: read, files: files, batches: make(chan *unitBatch, unitBatchesAhead), free: make(chan *unitBatch, unitBatchesAhead),
		stop: make(chan struct{}), done: make(chan struct{})}
	return s
}

// run reads every file, in order, into batches.
func (s *unitSource) run() {
	defer close(s.done)
	defer close(s.batches)
	b := s.newBatch()
	send := func() error {
		select {
		case s.batches <- b:
		case <-s.stop:
			return errStopped
		case <-s.ctx.Done():
			return s.ctx.Err()
		}
		b = s.newBatch()
		return nil
	}
	for _, f := range s.files {
		i := f.in
		header := int64(0)
		prog := newFileProgress(s.ctx, f.path)
		st, err := s.read(f.path, func(l line) error {
			if f.skipHeader && l.Number == 1 {
				header = 1
				return nil
			}
			if err := b.add(int32(i.ID), l); err != nil {
				return err
			}
			if b.full() {
				prog.at(l.Offset)
				return send()
			}
			return nil
		})
		prog.finish()
		if errors.Is(err, errStopped) {
			return
		}
		if err != nil {
			s.err = &readError{fmt.Errorf("ingest %s: %w", i.Path, err)}
			return
		}
		if i.SHA256 != "" && (i.SHA256 != st.SHA256 || i.Size != st.Size) {
			s.err = &readError{fmt.Errorf("ingest %s: %w", i.Path, errFileChanged)}
			return
		}
		i.Header, i.Read, i.Warning, i.Size, i.SHA256 = header, st.Lines-header, st.Warning, st.Size, st.SHA256
		s.finished.Add(1)
	}
	if b.size > 0 {
		if err := send(); err != nil && !errors.Is(err, errStopped) {
			s.err = &readError{err}
		}
	}
}

// readError is why the reader could not read a file (it names the file).
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

// errStopped ends the reader when the statement stopped reading.
var errStopped = errors.New("reading stopped")

func (s *unitSource) newBatch() *unitBatch {
	select {
	case b := <-s.free:
		b.reset()
		return b
	default:
		return &unitBatch{}
	}
}

// next returns the next batch, nil at the end.
func (s *unitSource) next() (*unitBatch, error) {
	s.start.Do(func() { go s.run() })
	b, ok := <-s.batches
	if !ok {
		return nil, s.err
	}
	return b, nil
}

// close stops the reader (if the statement ended early) and waits for it.
func (s *unitSource) close() {
	s.stopped.Do(func() { close(s.stop) })
	s.start.Do(func() { close(s.done) }) // never started: nothing to wait for
	<-s.done
}

// unitSources are the sources of running statements, by the token bound
// as $units.
var (
	unitSources   sync.Map
	unitSourceSeq atomic.Int64
)

// withUnits runs fn with a unit source for files registered under a fresh
// token, which fn binds as $units. A file that cannot be read explains a
// failed statement better than DuckDB's message, so its error comes first;
// and a statement that succeeds without reading every file is an error.
func withUnits(ctx context.Context, db *store.DB, read unitReader, files []unitFile, fn func(token int64) error) error {
	if err := registerUnitFunction(ctx, db); err != nil {
		return err
	}
	s := newUnitSource(ctx, read, files)
	token := unitSourceSeq.Add(1)
	unitSources.Store(token, s)
	defer unitSources.Delete(token)
	err := fn(token)
	s.close()
	switch {
	case s.err != nil:
		return s.err
	case err != nil:
		return err
	case s.finished.Load() != int64(len(files)):
		return fmt.Errorf("read %d of %d files of the source: the statement ended before every line was read", s.finished.Load(), len(files))
	}
	return nil
}

// registerUnitFunction registers bs_log_units on the connection once.
func registerUnitFunction(ctx context.Context, db *store.DB) error {
	registered, err := db.HasFunction(ctx, unitFunction)
	if err != nil || registered {
		return err
	}
	types := map[duckdb.Type]duckdb.TypeInfo{}
	for _, t := range []duckdb.Type{duckdb.TYPE_SMALLINT, duckdb.TYPE_INTEGER, duckdb.TYPE_BIGINT, duckdb.TYPE_VARCHAR, duckdb.TYPE_BOOLEAN} {
		if types[t], err = duckdb.NewTypeInfo(t); err != nil {
			return err
		}
	}
	columns := []duckdb.ColumnInfo{
		{Name: "input_id", T: types[duckdb.TYPE_INTEGER]},
		{Name: "line", T: types[duckdb.TYPE_BIGINT]},
		{Name: "byte_offset", T: types[duckdb.TYPE_BIGINT]},
		{Name: "reason", T: types[duckdb.TYPE_SMALLINT]},
		{Name: "has_text", T: types[duckdb.TYPE_BOOLEAN]},
		{Name: "text", T: types[duckdb.TYPE_VARCHAR]},
	}
	err = duckdb.RegisterTableUDF(db.Conn(), unitFunction, duckdb.ParallelRowTableFunction{
		Config: duckdb.TableFunctionConfig{Arguments: []duckdb.TypeInfo{types[duckdb.TYPE_BIGINT]}},
		BindArguments: func(_ map[string]any, args ...any) (duckdb.ParallelRowTableSource, error) {
			token, _ := args[0].(int64)
			s, ok := unitSources.Load(token)
			if !ok {
				return nil, fmt.Errorf("%s(%d): no such batch of log files", unitFunction, token)
			}
			return &unitTable{s: s.(*unitSource), columns: columns}, nil
		},
	})
	if err != nil {
		return fmt.Errorf("register %s: %w", unitFunction, err)
	}
	return nil
}

// unitTable is one binding of bs_log_units: each DuckDB thread fills rows
// from a batch of its own (unitCursor).
type unitTable struct {
	s       *unitSource
	columns []duckdb.ColumnInfo
}

func (t *unitTable) ColumnInfos() []duckdb.ColumnInfo     { return t.columns }
func (t *unitTable) Cardinality() *duckdb.CardinalityInfo { return nil }
func (t *unitTable) NewLocalState() any                   { return &unitCursor{} }
func (t *unitTable) Init() duckdb.ParallelTableSourceInfo {
	return duckdb.ParallelTableSourceInfo{MaxThreads: 64}
}

type unitCursor struct{ b *unitBatch }

func (t *unitTable) FillRow(state any, row duckdb.Row) (bool, error) {
	c := state.(*unitCursor)
	if c.b == nil || c.b.nextAt >= c.b.size {
		if c.b != nil {
			select {
			case t.s.free <- c.b:
			default:
			}
		}
		b, err := t.s.next()
		if err != nil || b == nil {
			c.b = nil
			return false, err
		}
		c.b = b
	}
	b, k := c.b, c.b.nextAt
	b.nextAt++
	start := 0
	if k > 0 {
		start = b.end[k-1]
	}
	text := b.text[start:b.end[k]]
	// One value at a time, in column order, stopping at the first error.
	err := duckdb.SetRowValue(row, 0, b.input[k])
	if err == nil {
		err = duckdb.SetRowValue(row, 1, b.number[k])
	}
	if err == nil {
		err = duckdb.SetRowValue(row, 2, b.off[k])
	}
	if err == nil {
		err = duckdb.SetRowValue(row, 3, b.reason[k])
	}
	if err == nil {
		err = duckdb.SetRowValue(row, 4, b.hasText[k])
	}
	if err == nil {
		err = duckdb.SetRowValue(row, 5, text)
	}
	if err != nil {
		return false, fmt.Errorf("%s: %w", unitFunction, err)
	}
	return true, nil
}
