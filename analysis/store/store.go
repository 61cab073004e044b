// Package store opens the case database (DuckDB) with breachscope's settings
// and runs the embedded SQL, recording every statement that ran.
package store

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/marcboeker/go-duckdb/v2"

	"github.com/breachscope/breachscope/analysis/phases"
	"github.com/breachscope/breachscope/queries"
)

// Options are the resource limits passed to DuckDB.
type Options struct {
	// Threads is DuckDB's worker count; 0 keeps DuckDB's default (all cores).
	Threads int
	// MemoryLimit is the memory the process may use, such as "4GB"; DuckDB
	// is given duckdbShare of it. "" keeps DuckDB's default.
	MemoryLimit string
	// TempDir is where DuckDB spills; it holds PII, so it must be inside the case directory.
	TempDir string
}

// Statement is one SQL statement that ran, for the manifest and methodology.
type Statement struct {
	File string `json:"file"`
	SQL  string `json:"sql"`
}

// DB is an open case database on a single connection: scalar functions and
// temporary tables live on a connection, so everything runs on this one.
type DB struct {
	db   *sql.DB
	conn *sql.Conn
	path string
	// Ran lists the statements executed through Script, in order.
	Ran []Statement
}

// ErrUnusable is returned by Open when the file is not a database this
// DuckDB can read (garbage, truncated, or written by another DuckDB storage
// version). The case database is a cache of the hashed inputs, so the cure is
// to rebuild it; a file locked by another process is not unusable.
var ErrUnusable = errors.New("case database unusable")

// ErrDamaged marks a query that failed because blocks of the database file
// are damaged or DuckDB gave up on the file after a fatal error.
var ErrDamaged = errors.New("case database damaged")

// Open opens (or creates) the DuckDB database at path; path "" is in-memory.
// A file database is made readable by its owner only: it holds PII.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	if path != "" {
		if err := privateFiles(path); err != nil {
			return nil, fmt.Errorf("protect case database %s: %w", path, err)
		}
	}
	connector, err := duckdb.NewConnector(path, nil)
	if err != nil {
		return nil, openError(path, err)
	}
	db := sql.OpenDB(connector)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, openError(path, err)
	}
	s := &DB{db: db, conn: conn, path: path}
	if path != "" {
		if err := os.Chmod(path, 0o600); err != nil {
			s.Close()
			return nil, fmt.Errorf("protect case database %s: %w", path, err)
		}
	}
	if err := s.configure(ctx, opts); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// openError explains why DuckDB refused a database file.
func openError(path string, err error) error {
	msg := err.Error()
	if strings.Contains(msg, "Could not set lock") {
		return fmt.Errorf("open case database %s: another process (another breachscope?) is using it; wait for it to finish: %w", path, err)
	}
	for _, stem := range unusableStems {
		if strings.Contains(msg, stem) {
			return fmt.Errorf("%w: %s: %s", ErrUnusable, path, strings.TrimPrefix(msg, "database/sql/driver: could not connect to database: "))
		}
	}
	return fmt.Errorf("open case database %s: %w", path, err)
}

// unusableStems are DuckDB's words for a file it cannot read at all.
var unusableStems = []string{
	"not a valid DuckDB database file",
	"Trying to read a database file with version number",
	"Failed to deserialize",
	"Could not read enough bytes",
	"Corrupt database file",
}

// Damaged wraps err with ErrDamaged when DuckDB reports a damaged database
// file, so callers can say "rebuild it" instead of showing a storage error.
func Damaged(err error) error {
	if err == nil || errors.Is(err, ErrDamaged) {
		return err
	}
	msg := err.Error()
	if strings.Contains(msg, "Corrupt database file") || strings.Contains(msg, "database has been invalidated") {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	return err
}

// Path is the database file ("" for an in-memory database).
func (s *DB) Path() string { return s.path }

func (s *DB) configure(ctx context.Context, opts Options) error {
	// Only the extensions compiled in exist offline; fail fast instead of
	// timing out on a download when a query needs another one.
	settings := []string{
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
		"SET TimeZone = 'UTC'",
		// Data not yet checkpointed stays in memory (DuckDB spills it only as
		// a last resort, block by block); checkpointing after every
		// statement that logged more than 1 MB keeps it small, so a run fits
		// a low memory limit. Large results bypass the log: this costs little.
		"SET checkpoint_threshold = '1MB'",
	}
	for _, q := range settings {
		if _, err := s.conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("configure duckdb (%s): %w", q, err)
		}
	}
	if opts.Threads > 0 {
		if _, err := s.conn.ExecContext(ctx, fmt.Sprintf("SET threads = %d", opts.Threads)); err != nil {
			return fmt.Errorf("set threads: %w", err)
		}
	}
	if opts.MemoryLimit != "" {
		duck, ok := DuckDBMemoryLimit(opts.MemoryLimit)
		if !ok {
			return fmt.Errorf("memory limit %q: %w", opts.MemoryLimit, ErrBadMemoryLimit)
		}
		if _, err := s.conn.ExecContext(ctx, "SET memory_limit = "+quoteLiteral(duck)); err != nil {
			return fmt.Errorf("set memory limit %q: %w", opts.MemoryLimit, err)
		}
	}
	if opts.TempDir != "" {
		if err := os.MkdirAll(opts.TempDir, 0o700); err != nil {
			return fmt.Errorf("create temp dir: %w", err)
		}
		if _, err := s.conn.ExecContext(ctx, "SET temp_directory = "+quoteLiteral(opts.TempDir)); err != nil {
			return fmt.Errorf("set temp dir: %w", err)
		}
	}
	if err := registerFunctions(s.conn); err != nil {
		return fmt.Errorf("register functions: %w", err)
	}
	return s.Script(ctx, "macros.sql", nil, nil)
}

// quoteLiteral quotes a string literal for the few SET statements that take
// no parameters; the values are our own options, not log or customer data.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// Close closes the connection and the database.
func (s *DB) Close() error {
	return errors.Join(s.conn.Close(), s.db.Close())
}

// Conn is the single connection, for appenders and scalar functions.
func (s *DB) Conn() *sql.Conn { return s.conn }

// ErrBadMemoryLimit is returned for a memory limit DuckDB would not understand.
var ErrBadMemoryLimit = errors.New("use a size such as 4GB, 512MB or 6GiB")

// duckdbShare is the share of Options.MemoryLimit given to DuckDB's buffer
// manager. DuckDB's process grows past DuckDB's own limit by what it does
// not count (at tier L with 8GB: up to 1.45 GiB past it, in the report's
// sorts and Parquet exports), so the whole limit would let the process
// reach the limit plus 1.5 GB; the rest of it is that headroom.
const duckdbShare = 0.85

var memoryLimitRE = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$`)

// memoryUnits are the sizes of memory limit units as DuckDB reads them.
var memoryUnits = map[string]float64{"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12,
	"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}

// memoryLimitBytes reads a memory limit as DuckDB does: KB, MB, GB and TB
// are powers of 1000 (8GB is 8,000,000,000 bytes), KiB to TiB powers of
// 1024. ok is false for anything else.
func memoryLimitBytes(s string) (n int64, ok bool) {
	m := memoryLimitRE.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0, false
	}
	return int64(v * memoryUnits[m[2]]), true
}

// DuckDBMemoryLimit is DuckDB's memory_limit for a memory limit s: its
// duckdbShare, in bytes. ok is false when s is no size DuckDB accepts (it is
// checked before it reaches SQL text or a connection string).
func DuckDBMemoryLimit(s string) (limit string, ok bool) {
	n, ok := memoryLimitBytes(s)
	if !ok {
		return "", false
	}
	return fmt.Sprintf("%dB", int64(float64(n)*duckdbShare)), true
}

var paramRE = regexp.MustCompile(`\$([a-z_][a-z0-9_]*)`)

// Script renders the named query file with data and runs its statements in
// order, binding each named parameter ($name) the statement uses.
func (s *DB) Script(ctx context.Context, file string, data any, params map[string]any) error {
	text, err := queries.Render(file, data)
	if err != nil {
		return err
	}
	for _, stmt := range queries.Statements(text) {
		args, err := bind(stmt, params)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		s.Ran = append(s.Ran, Statement{File: file, SQL: stmt})
		start := time.Now()
		_, err = s.conn.ExecContext(ctx, stmt, args...)
		phases.Statement(ctx, file, stmt, time.Since(start))
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("%s: %w", file, err)
		}
	}
	return nil
}

func bind(stmt string, params map[string]any) ([]any, error) {
	seen := map[string]bool{}
	var names []string
	for _, m := range paramRE.FindAllStringSubmatch(codeOnly(stmt), -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			names = append(names, m[1])
		}
	}
	sort.Strings(names)
	args := make([]any, 0, len(names))
	for _, n := range names {
		v, ok := params[n]
		if !ok {
			return nil, fmt.Errorf("parameter $%s is not bound", n)
		}
		args = append(args, sql.Named(n, v))
	}
	return args, nil
}

// codeOnly blanks out string literals, quoted identifiers and comments, so
// that only real parameters are bound: a quoted column name comes from a
// case file and may hold "$x" or "--" without being a parameter or comment.
func codeOnly(stmt string) string {
	b := []byte(stmt)
	blank := func(from, to int) int {
		to = min(to, len(b))
		for k := from; k < to; k++ {
			if b[k] != '\n' {
				b[k] = ' '
			}
		}
		return to
	}
	for i := 0; i < len(b); {
		switch {
		case b[i] == '\'' || b[i] == '"':
			j := i + 1
			for j < len(b) && (b[j] != b[i] || j+1 < len(b) && b[j+1] == b[i]) {
				if b[j] == b[i] {
					j++ // a doubled quote inside the quotes
				}
				j++
			}
			i = blank(i, j+1)
		case bytes.HasPrefix(b[i:], []byte("--")):
			end := bytes.IndexByte(b[i:], '\n')
			if end < 0 {
				end = len(b) - i
			}
			i = blank(i, i+end)
		case bytes.HasPrefix(b[i:], []byte("/*")):
			end := bytes.Index(b[i+2:], []byte("*/"))
			if end < 0 {
				end = len(b)
			}
			i = blank(i, i+2+end+2)
		default:
			i++
		}
	}
	return string(b)
}

// Exec runs one statement that is not part of the methodology (bookkeeping).
func (s *DB) Exec(ctx context.Context, query string, args ...any) error {
	_, err := s.conn.ExecContext(ctx, query, args...)
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// QueryRow runs a query returning one row.
func (s *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return s.conn.QueryRowContext(ctx, query, args...)
}

// Query runs a query; callers keep results small (results are materialised).
func (s *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.conn.QueryContext(ctx, query, args...)
}

// Int returns the single integer a query yields.
func (s *DB) Int(ctx context.Context, query string, args ...any) (int64, error) {
	var n sql.NullInt64
	if err := s.conn.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, err
	}
	return n.Int64, nil
}

// HasFunction reports whether a function (a Go UDF registered on this
// connection, say) exists, so a package can register its own once.
func (s *DB) HasFunction(ctx context.Context, name string) (bool, error) {
	n, err := s.Int(ctx, "SELECT count(*) FROM duckdb_functions() WHERE function_name = ?", name)
	return n > 0, err
}

// Counts runs a query yielding (key, count) rows, one per key, and returns
// them as a map.
func Counts[K comparable](ctx context.Context, s *DB, query string, args ...any) (map[K]int64, error) {
	rows, err := s.conn.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[K]int64{}
	for rows.Next() {
		var k K
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		counts[k] = n
	}
	return counts, rows.Err()
}

// Appender opens a DuckDB appender on table, for bulk loads from Go.
func (s *DB) Appender(ctx context.Context, table string) (*duckdb.Appender, error) {
	var app *duckdb.Appender
	err := s.conn.Raw(func(dc any) error {
		var err error
		app, err = duckdb.NewAppenderFromConn(dc.(driver.Conn), "", table)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("appender for %s: %w", table, err)
	}
	return app, nil
}

// Version returns DuckDB's version string.
func (s *DB) Version(ctx context.Context) string {
	var v string
	if err := s.conn.QueryRowContext(ctx, "SELECT version()").Scan(&v); err != nil {
		return "unknown"
	}
	return v
}
