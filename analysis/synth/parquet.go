package synth

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/marcboeker/go-duckdb/v2"
)

// parquetSink writes a data lake's Parquet export: one file per month,
// the time as ISO-8601 text (as many exports keep it), status and bytes as
// integers. Rows are collected in an in-memory DuckDB table, which writes
// the file: Parquet is DuckDB's to write, on one thread so the bytes are
// the same from run to run. Bad rows lack their time, carry a time that is
// no time, or are empty.
type parquetSink struct {
	dir   string
	db    *sql.DB
	conn  *sql.Conn
	app   *duckdb.Appender
	month int
}

func newParquetSink(dir string) (*parquetSink, error) {
	ctx := context.Background()
	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		return nil, err
	}
	s := &parquetSink{dir: dir, db: sql.OpenDB(connector), month: -1}
	if s.conn, err = s.db.Conn(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	for _, q := range []string{
		"SET threads = 1",
		`CREATE TABLE logs (ts VARCHAR, request_id VARCHAR, client_ip VARCHAR, api_key VARCHAR, method VARCHAR,
			path VARCHAR, query VARCHAR, status INTEGER, bytes BIGINT, user_agent VARCHAR)`,
	} {
		if _, err := s.conn.ExecContext(ctx, q); err != nil {
			s.abort()
			return nil, err
		}
	}
	return s, nil
}

// row appends one row to the month of ts, writing out the previous month
// when ts is past it.
func (s *parquetSink) row(ts int64, vals ...driver.Value) error {
	if mo := monthIndex(ts); mo != s.month {
		if err := s.flush(); err != nil {
			return err
		}
		s.month = mo
		err := s.conn.Raw(func(dc any) error {
			var err error
			s.app, err = duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "logs")
			return err
		})
		if err != nil {
			return err
		}
	}
	return s.app.AppendRow(vals...)
}

func (s *parquetSink) request(ts int64, l *logLine) error {
	return s.row(ts, l.TS, l.RequestID, l.Client.IP, l.APIKey, l.Method, l.Path, l.Query, int32(l.Status), int64(l.Bytes), l.UserAgent)
}

func (s *parquetSink) bad(ts int64, l *logLine, k injectKind) error {
	switch k {
	case injBlank:
		return s.row(ts, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil)
	case injBadTime:
		return s.row(ts, "not-a-time", l.RequestID, l.Client.IP, l.APIKey, l.Method, l.Path, l.Query, int32(l.Status), int64(l.Bytes), l.UserAgent)
	}
	return s.row(ts, nil, l.RequestID, l.Client.IP, l.APIKey, l.Method, l.Path, l.Query, int32(l.Status), int64(l.Bytes), l.UserAgent)
}

// flush writes the current month's file.
func (s *parquetSink) flush() error {
	if s.app == nil {
		return nil
	}
	err := s.app.Close()
	s.app = nil
	if err != nil {
		return err
	}
	// DuckDB creates the file with the process umask; logs/ is 0700, so
	// it is private until it is made 0600 like every other case file.
	path := filepath.Join(s.dir, "api-"+months[s.month].name+".parquet")
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("synth: %s exists", path)
	}
	ctx := context.Background()
	copySQL := "COPY logs TO '" + strings.ReplaceAll(path, "'", "''") + "' (FORMAT parquet, COMPRESSION zstd)"
	if _, err := s.conn.ExecContext(ctx, copySQL); err != nil {
		return fmt.Errorf("synth: write %s: %w", path, err)
	}
	if err := os.Chmod(path, fileMode); err != nil {
		return err
	}
	_, err = s.conn.ExecContext(ctx, "DELETE FROM logs")
	return err
}

func (s *parquetSink) close() error {
	err := s.flush()
	s.abort()
	return err
}

func (s *parquetSink) abort() {
	if s.app != nil {
		s.app.Close()
		s.app = nil
	}
	if s.conn != nil {
		s.conn.Close()
	}
	s.db.Close()
}
