// Package query runs an analyst's read-only SQL on a case database: the
// database is opened read-only, file access is switched off (no COPY TO,
// no ATTACH, no reading other files), and only one SELECT-like statement
// runs at a time. Results are rendered as an aligned table (personal-data
// columns masked), CSV or JSON.
package query

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/marcboeker/go-duckdb/v2"

	"github.com/breachscope/breachscope/analysis/store"
)

// DatabaseFile is the case database's name inside a case directory (the
// same file analysis.Session opens).
const DatabaseFile = "case.duckdb"

// Sentinel errors callers test with errors.Is.
var (
	// ErrReadOnly is returned for a statement that would change something.
	ErrReadOnly = errors.New("query is read-only")
	// ErrNoDatabase is returned for a case that was never ingested.
	ErrNoDatabase = errors.New("no case database: run breachscope ingest (or run) on the case first")
	// ErrBusy is returned when another process holds the case database.
	ErrBusy = errors.New("the case database is in use by another breachscope process (ingest, analyze or run): query it when that finishes")
)

// DB is a case database opened for reading, on one connection.
type DB struct {
	sqlDB   *sql.DB
	conn    *sql.Conn
	tempDir string
	madeTmp bool
}

// Open opens the case database of caseDir read-only.
func Open(ctx context.Context, caseDir string, opts store.Options) (*DB, error) {
	path := filepath.Join(caseDir, DatabaseFile)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", caseDir, ErrNoDatabase)
	}
	q := &DB{}
	if opts.TempDir == "" {
		opts.TempDir = filepath.Join(caseDir, ".tmp")
		if _, err := os.Stat(opts.TempDir); errors.Is(err, os.ErrNotExist) {
			q.madeTmp = true
		}
	}
	q.tempDir = opts.TempDir
	// store.Open opens databases for writing; the read-only mode and the
	// resource settings go in the DSN so they hold from the first moment.
	dsn := url.Values{}
	dsn.Set("access_mode", "read_only")
	dsn.Set("autoinstall_known_extensions", "false")
	dsn.Set("autoload_known_extensions", "false")
	dsn.Set("temp_directory", opts.TempDir)
	if opts.Threads > 0 {
		dsn.Set("threads", strconv.Itoa(opts.Threads))
	}
	if opts.MemoryLimit != "" {
		limit, ok := store.DuckDBMemoryLimit(opts.MemoryLimit)
		if !ok {
			q.cleanup()
			return nil, fmt.Errorf("memory limit %q: %w", opts.MemoryLimit, store.ErrBadMemoryLimit)
		}
		dsn.Set("memory_limit", limit)
	}
	connector, err := duckdb.NewConnector(path+"?"+dsn.Encode(), nil)
	if err != nil {
		q.cleanup()
		if strings.Contains(err.Error(), "lock") {
			return nil, fmt.Errorf("%s: %w", path, ErrBusy)
		}
		return nil, fmt.Errorf("open case database %s: %w", path, err)
	}
	q.sqlDB = sql.OpenDB(connector)
	if q.conn, err = q.sqlDB.Conn(ctx); err != nil {
		q.Close()
		return nil, fmt.Errorf("open case database %s: %w", path, err)
	}
	// After this, nothing the analyst types may touch files or change
	// settings.
	for _, s := range []string{"SET TimeZone = 'UTC'", "SET enable_external_access = false", "SET lock_configuration = true"} {
		if _, err := q.conn.ExecContext(ctx, s); err != nil {
			q.Close()
			return nil, fmt.Errorf("lock down the query connection: %w", err)
		}
	}
	return q, nil
}

// Close closes the database and removes a spill directory Open created.
func (q *DB) Close() error {
	var err error
	if q.conn != nil {
		err = q.conn.Close()
	}
	if q.sqlDB != nil {
		err = errors.Join(err, q.sqlDB.Close())
	}
	q.cleanup()
	return err
}

func (q *DB) cleanup() {
	if q.madeTmp {
		os.RemoveAll(q.tempDir)
	}
}

// statementNames name the statement kinds that are refused.
var statementNames = map[duckdb.StmtType]string{
	duckdb.STATEMENT_TYPE_INSERT: "INSERT", duckdb.STATEMENT_TYPE_UPDATE: "UPDATE", duckdb.STATEMENT_TYPE_DELETE: "DELETE",
	duckdb.STATEMENT_TYPE_CREATE: "CREATE", duckdb.STATEMENT_TYPE_ALTER: "ALTER", duckdb.STATEMENT_TYPE_DROP: "DROP",
	duckdb.STATEMENT_TYPE_COPY: "COPY", duckdb.STATEMENT_TYPE_EXPORT: "EXPORT", duckdb.STATEMENT_TYPE_ATTACH: "ATTACH",
	duckdb.STATEMENT_TYPE_DETACH: "DETACH", duckdb.STATEMENT_TYPE_SET: "SET", duckdb.STATEMENT_TYPE_VARIABLE_SET: "SET VARIABLE",
	duckdb.STATEMENT_TYPE_LOAD: "LOAD/INSTALL", duckdb.STATEMENT_TYPE_EXTENSION: "extension", duckdb.STATEMENT_TYPE_TRANSACTION: "transaction",
	duckdb.STATEMENT_TYPE_CREATE_FUNC: "CREATE FUNCTION", duckdb.STATEMENT_TYPE_PREPARE: "PREPARE", duckdb.STATEMENT_TYPE_EXECUTE: "EXECUTE",
	duckdb.STATEMENT_TYPE_VACUUM: "VACUUM", duckdb.STATEMENT_TYPE_ANALYZE: "ANALYZE", duckdb.STATEMENT_TYPE_CALL: "CALL",
	duckdb.STATEMENT_TYPE_PRAGMA: "PRAGMA",
}

// allowed checks, without running it, that sqlText is one statement that
// only reads. go-duckdb's context-aware prepare would run every statement
// but the last of a multi-statement string, so the check uses the plain
// prepare, which refuses more than one.
func (q *DB) allowed(sqlText string) error {
	if strings.TrimSpace(strings.TrimRight(strings.TrimSpace(sqlText), ";")) == "" {
		return fmt.Errorf("%w: the query is empty", ErrReadOnly)
	}
	return q.conn.Raw(func(dc any) error {
		st, err := dc.(driver.Conn).Prepare(sqlText)
		if err != nil {
			if strings.Contains(err.Error(), "multi-statement") {
				return fmt.Errorf("%w: run one statement at a time", ErrReadOnly)
			}
			if m := viewWriteRE.FindStringSubmatch(err.Error()); m != nil {
				return refused(strings.ToUpper(strings.Fields(m[1])[0]))
			}
			if viewInsertRE.MatchString(err.Error()) {
				return refused("INSERT")
			}
			return cleanError(err)
		}
		defer st.Close()
		ds, ok := st.(*duckdb.Stmt)
		if !ok {
			return fmt.Errorf("unexpected statement type %T", st)
		}
		t, err := ds.StatementType()
		if err != nil {
			return err
		}
		if t == duckdb.STATEMENT_TYPE_SELECT || t == duckdb.STATEMENT_TYPE_EXPLAIN {
			return nil
		}
		name := statementNames[t]
		if name == "" {
			name = fmt.Sprintf("type %d", t)
		}
		return refused(name)
	})
}

// refused is the refusal of a statement of the named kind.
func refused(kind string) error {
	return fmt.Errorf("%w: %s statements are refused; it runs SELECT (and WITH, FROM, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN); the case database is rebuilt only by breachscope ingest", ErrReadOnly, kind)
}

// viewWriteRE matches DuckDB's binder error for a write to a view (such as
// customers), which fails before the statement's kind can be read.
var viewWriteRE = regexp.MustCompile(`Can only (delete from|update) base table`)

// viewInsertRE matches DuckDB's catalog error for an INSERT into a view.
var viewInsertRE = regexp.MustCompile(`^Catalog Error: \S+ is not an table`)

// quotedRE finds single-quoted text in an error message: DuckDB quotes the
// values it failed on ("Could not convert string 'Jane' to ..."), which
// may be personal data.
var quotedRE = regexp.MustCompile(`'[^'\n]*'`)

// cleanError masks quoted values in a DuckDB error, keeping the part that
// quotes the analyst's own SQL (after "LINE").
func cleanError(err error) error {
	msg := err.Error()
	if strings.Contains(msg, "file system operations are disabled") {
		return fmt.Errorf("%w: it cannot read or write files (COPY, ATTACH, read_csv and the like); query the case tables", ErrReadOnly)
	}
	head, tail, found := strings.Cut(msg, "\nLINE ")
	head = quotedRE.ReplaceAllString(head, "'…'")
	if found {
		head += "\nLINE " + tail
	}
	return errors.New(head)
}
