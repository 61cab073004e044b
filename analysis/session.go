// Package analysis is breachscope as a library: it opens a case, ingests its
// inputs, analyses them and writes a run's outputs. It never prints, never
// exits and knows nothing of the command line; the CLI in cmd/ is a thin
// shell over it.
package analysis

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/fault"
	"github.com/breachscope/breachscope/analysis/ingest"
	"github.com/breachscope/breachscope/analysis/people"
	"github.com/breachscope/breachscope/analysis/phases"
	"github.com/breachscope/breachscope/analysis/report"
	"github.com/breachscope/breachscope/analysis/resolve"
	"github.com/breachscope/breachscope/analysis/store"
)

// DatabaseFile is the case database's name inside the case directory.
const DatabaseFile = "case.duckdb"

// Sentinel errors callers test with errors.Is.
var (
	// ErrNotIngested means analyze or report ran before ingest.
	ErrNotIngested = errors.New("case not ingested: run breachscope ingest (or run) first")
	// ErrNotAnalyzed means report ran before analyze.
	ErrNotAnalyzed = errors.New("case not analysed: run breachscope analyze (or run) first")
	// ErrInputsChanged means an input file differs from what was ingested.
	ErrInputsChanged = errors.New("inputs changed since ingest: run breachscope ingest again")
	// ErrUnreconciled means the counts of a run do not add up; nothing is reported.
	ErrUnreconciled = errors.New("counts do not reconcile")
)

// Options configures a session.
type Options struct {
	Store store.Options
	// Now is the clock for the run record; nil means time.Now.
	Now func() time.Time
	// Phases records the finer phases of the work (into the manifest) and
	// tells its observer about them; nil records them without telling anyone.
	Phases *phases.Recorder
}

// Session is an open case: its case file and its database.
type Session struct {
	Case    *casefile.Case
	DB      *store.DB
	opts    Options
	Timings []Timing
	dbPath  string
	// unusable is why the database file could not be opened; DB is then an
	// empty in-memory stand-in until Ingest rebuilds the file.
	unusable error
	// inputsChecked is set once this session has hashed the inputs (at
	// ingest, or when a later phase checked them): the database cannot have
	// drifted from them since, so run hashes every input once, not three
	// times.
	inputsChecked bool
}

// Timing is how long one phase took.
type Timing struct {
	Phase   string  `json:"phase"`
	Seconds float64 `json:"seconds"`
}

// Open loads and validates the case file of caseDir and opens its database.
// A database file DuckDB cannot read is not an error here: it is a cache,
// Ingest rebuilds it, and Analyze and Report refuse it with ErrNotIngested.
func Open(ctx context.Context, caseDir string, opts Options) (*Session, error) {
	c, err := casefile.Load(caseDir)
	if err != nil {
		return nil, err
	}
	if opts.Store.TempDir == "" {
		opts.Store.TempDir = filepath.Join(caseDir, ".tmp")
	} else {
		// A directory the user names may hold other files: spill into a
		// private directory inside it, the only thing Close removes.
		if err := os.MkdirAll(opts.Store.TempDir, 0o700); err != nil {
			return nil, fmt.Errorf("temp dir: %w", err)
		}
		private, err := os.MkdirTemp(opts.Store.TempDir, "breachscope-spill-")
		if err != nil {
			return nil, fmt.Errorf("temp dir: %w", err)
		}
		opts.Store.TempDir = private
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Phases == nil {
		opts.Phases = phases.NewRecorder(nil, opts.Now)
	}
	dbPath := filepath.Join(caseDir, DatabaseFile)
	db, err := store.Open(ctx, dbPath, opts.Store)
	var unusable error
	if errors.Is(err, store.ErrUnusable) {
		unusable = err
		db, err = store.Open(ctx, "", opts.Store)
	}
	if err != nil {
		if opts.Store.TempDir != filepath.Join(caseDir, ".tmp") {
			os.RemoveAll(opts.Store.TempDir) // private; <case>/.tmp may be another process's
		}
		return nil, err
	}
	return &Session{Case: c, DB: db, opts: opts, dbPath: dbPath, unusable: unusable}, nil
}

// recreateDB replaces the case database with an empty file. The database is
// a cache of the hashed inputs; rebuilding it from nothing leaves no trace of
// a damaged file, another schema version or an interrupted run.
func (s *Session) recreateDB(ctx context.Context) error {
	s.DB.Close() // an error closing a file about to be deleted changes nothing
	for _, p := range []string{s.dbPath, s.dbPath + ".wal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove the old case database to rebuild it: %w", err)
		}
	}
	db, err := store.Open(ctx, s.dbPath, s.opts.Store)
	if err != nil {
		return err
	}
	s.DB, s.unusable = db, nil
	return nil
}

// Close closes the database and removes DuckDB's spill directory.
func (s *Session) Close() error {
	err := s.DB.Close()
	if rmErr := os.RemoveAll(s.opts.Store.TempDir); rmErr != nil && err == nil {
		err = rmErr
	}
	return err
}

// timed runs one of the session's steps, timing it and handing the phase
// recorder to the packages doing the work.
func (s *Session) timed(ctx context.Context, phase string, fn func(ctx context.Context) error) error {
	start := s.opts.Now()
	err := fn(phases.WithRecorder(ctx, s.opts.Phases))
	s.Timings = append(s.Timings, Timing{Phase: phase, Seconds: s.opts.Now().Sub(start).Seconds()})
	return err
}

// Ingest rebuilds the case database from the inputs. Only a finished ingest
// is marked complete, so an interrupted one is never analysed.
func (s *Session) Ingest(ctx context.Context) (*ingest.Result, error) {
	var res *ingest.Result
	err := s.timed(ctx, "ingest", func(ctx context.Context) error {
		if err := s.recreateDB(ctx); err != nil {
			return err
		}
		s.DB.Ran = nil
		var err error
		if res, err = ingest.Run(ctx, s.DB, s.Case); err != nil {
			return err
		}
		if err := fault.Point(ctx, fault.Ingest); err != nil {
			return err
		}
		if err := s.logSQL(ctx, "ingest", true); err != nil {
			return err
		}
		if err := s.DB.Exec(ctx, "INSERT OR REPLACE INTO meta VALUES ('ingest_complete', 'true')"); err != nil {
			return err
		}
		s.inputsChecked = true
		return nil
	})
	return res, s.explain(err)
}

// AnalyzeResult is the outcome of Analyze.
type AnalyzeResult struct {
	Counts *resolve.Counts
	Checks []resolve.Check
}

// Analyze runs scope, resolve and expose, and fails unless every count reconciles.
func (s *Session) Analyze(ctx context.Context) (*AnalyzeResult, error) {
	var res *AnalyzeResult
	err := s.timed(ctx, "analyze", func(ctx context.Context) error {
		if err := s.checkIngested(ctx); err != nil {
			return err
		}
		// A re-analysis that stops half way must not leave the last one's mark.
		if err := s.DB.Exec(ctx, "DELETE FROM meta WHERE key = 'analyzed'"); err != nil {
			return err
		}
		s.DB.Ran = nil
		ph := phases.Start(ctx, "scope and resolve")
		if err := resolve.Run(ctx, s.DB, s.Case); err != nil {
			return err
		}
		ph.End()
		ph = phases.Start(ctx, "people and notices")
		if err := people.Run(ctx, s.DB, s.Case); err != nil {
			return err
		}
		ph.End()
		if err := s.logSQL(ctx, "analyze", false); err != nil {
			return err
		}
		if err := fault.Point(ctx, fault.Analyze); err != nil {
			return err
		}
		ph = phases.Start(ctx, "reconcile")
		counts, checks, err := resolve.Reconcile(ctx, s.DB)
		if err != nil {
			return err
		}
		ph.End()
		res = &AnalyzeResult{Counts: counts, Checks: checks}
		if bad := resolve.Failed(checks); len(bad) > 0 {
			return fmt.Errorf("%w: %s", ErrUnreconciled, bad[0].Equation())
		}
		return s.DB.Exec(ctx, "INSERT OR REPLACE INTO meta VALUES ('analyzed', 'true')")
	})
	return res, s.explain(err)
}

// checkIngested refuses to analyse a database that is unreadable, from
// another schema version or an unfinished ingest, or whose inputs changed.
func (s *Session) checkIngested(ctx context.Context) error {
	if s.unusable != nil {
		return fmt.Errorf("%v: %w", s.unusable, ErrNotIngested)
	}
	var version, complete string
	err := s.DB.QueryRow(ctx, `SELECT coalesce(max(value) FILTER (key = 'schema_version'), ''),
		coalesce(max(value) FILTER (key = 'ingest_complete'), '') FROM meta`).Scan(&version, &complete)
	switch {
	case err != nil:
		return ErrNotIngested // no meta table: a new or foreign database
	case version != ingest.SchemaVersion:
		return fmt.Errorf("case database made by another version of breachscope (schema %q, this one reads %q): %w",
			version, ingest.SchemaVersion, ErrNotIngested)
	case complete != "true":
		return fmt.Errorf("the last ingest did not finish: %w", ErrNotIngested)
	case s.inputsChecked:
		return nil
	}
	if err := s.checkInputHashes(ctx); err != nil {
		return err
	}
	s.inputsChecked = true
	return nil
}

// checkInputHashes re-hashes every ingested input and fails on the first
// that differs from what ingest recorded.
func (s *Session) checkInputHashes(ctx context.Context) error {
	rows, err := s.DB.Query(ctx, "SELECT path, size, sha256 FROM inputs ORDER BY input_id")
	if err != nil {
		return fmt.Errorf("read inputs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var path, sum string
		var size int64
		if err := rows.Scan(&path, &size, &sum); err != nil {
			return err
		}
		gotSize, gotSum, err := ingest.HashFile(s.Case.Resolve(path))
		if err != nil {
			return fmt.Errorf("%s: %v: %w", path, err, ErrInputsChanged)
		}
		if gotSize != size || gotSum != sum {
			return fmt.Errorf("%s: %w", path, ErrInputsChanged)
		}
	}
	return rows.Err()
}

// logSQL persists the statements that ran so a later report (possibly in
// another process) can print the methodology.
func (s *Session) logSQL(ctx context.Context, phase string, reset bool) error {
	if reset {
		if err := s.DB.Exec(ctx, "CREATE OR REPLACE TABLE sql_log (seq INTEGER, phase VARCHAR, file VARCHAR, sql VARCHAR)"); err != nil {
			return err
		}
	}
	if err := s.DB.Exec(ctx, "DELETE FROM sql_log WHERE phase = ?", phase); err != nil {
		return fmt.Errorf("record sql: %w", err)
	}
	for i, st := range s.DB.Ran {
		if err := s.DB.Exec(ctx, "INSERT INTO sql_log VALUES (?, ?, ?, ?)", i, phase, st.File, st.SQL); err != nil {
			return fmt.Errorf("record sql: %w", err)
		}
	}
	return nil
}

// ReportOptions configures Report.
type ReportOptions struct {
	// RunID names the run; "" derives it from the start time.
	RunID string
	// Tool identifies this build in the manifest.
	Tool report.Tool
	// Unmasked writes full personal data into the workbook's Individuals sheet.
	Unmasked bool
	// WorkbookIndividuals caps the Individuals sheet's rows (0: everyone).
	WorkbookIndividuals int64
}

// Report writes a run's outputs for the analysed case.
func (s *Session) Report(ctx context.Context, opts ReportOptions) (*report.Result, error) {
	var res *report.Result
	err := s.timed(ctx, "report", func(ctx context.Context) error {
		if err := s.checkIngested(ctx); err != nil {
			return err
		}
		var analyzed string
		if err := s.DB.QueryRow(ctx, "SELECT value FROM meta WHERE key = 'analyzed'").Scan(&analyzed); err != nil {
			return ErrNotAnalyzed
		}
		if err := report.CheckSpace(s.Case.Dir, s.dbBytes()); err != nil {
			return err
		}
		if err := fault.Point(ctx, fault.ReportStart); err != nil {
			return err
		}
		timings := map[string]float64{}
		for _, t := range s.Timings {
			timings[t.Phase] = t.Seconds
		}
		var err error
		res, err = report.Write(ctx, s.DB, s.Case, report.Options{RunID: opts.RunID, Tool: opts.Tool, Now: s.opts.Now, Timings: timings, Unmasked: opts.Unmasked,
			WorkbookIndividuals: opts.WorkbookIndividuals})
		return err
	})
	return res, s.explain(err)
}

// dbBytes is the size of the case database with its write-ahead log: the
// estimate of the space a report needs (see report.CheckSpace).
func (s *Session) dbBytes() int64 {
	var n int64
	for _, p := range []string{s.dbPath, s.dbPath + ".wal"} {
		if st, err := os.Stat(p); err == nil {
			n += st.Size()
		}
	}
	return n
}

// explain turns storage failures into what to do next: a damaged database
// is rebuilt by ingest, and a full disk needs space before running again.
func (s *Session) explain(err error) error {
	if err == nil || errors.Is(err, report.ErrNoSpace) {
		return err
	}
	if errors.Is(err, syscall.ENOSPC) || strings.Contains(strings.ToLower(err.Error()), "no space left on device") {
		return fmt.Errorf("%w on the disk holding %s: nothing was published; free some space (or move the case) and run again: %v",
			report.ErrNoSpace, s.Case.Dir, err)
	}
	if d := store.Damaged(err); errors.Is(d, store.ErrDamaged) && !errors.Is(err, ErrNotIngested) {
		return fmt.Errorf("%w: %w", d, ErrNotIngested)
	}
	return err
}
