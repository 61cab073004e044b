package synth

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"path/filepath"

	"github.com/marcboeker/go-duckdb/v2"
)

// parquetSink writes a data lake's Parquet export: one file per month (per
// day in tier cases), the time as ISO-8601 text (as many exports keep it),
// status and bytes as integers. Rows are collected in an in-memory DuckDB table, which writes
// the file: Parquet is DuckDB's to write, on one thread so the bytes are
// the same from run to run. Bad rows lack their time, carry a time that is
// no time, or are empty.
type parquetSink struct {
	dir  string
	db   *sql.DB
	conn *sql.Conn
	app  *duckdb.Appender
	per  period
	cur  string // the period being collected; "" before the first row
}

func newParquetSink(dir string, per period) (*parquetSink, error) {
	ctx := context.Background()
	db, conn, err := openScratch(ctx)
	if err != nil {
		return nil, err
	}
	s := &parquetSink{dir: dir, db: db, conn: conn, per: per}
	_, err = s.conn.ExecContext(ctx, `CREATE TABLE logs (ts VARCHAR, request_id VARCHAR, client_ip VARCHAR, api_key VARCHAR,
		method VARCHAR, path VARCHAR, query VARCHAR, status INTEGER, bytes BIGINT, user_agent VARCHAR)`)
	if err != nil {
		s.abort()
		return nil, err
	}
	return s, nil
}

// row appends one row to the period of ts, writing out the previous
// period when ts is past it.
func (s *parquetSink) row(ts int64, vals ...driver.Value) error {
	if p, _ := s.per.of(ts); p != s.cur {
		if err := s.flush(); err != nil {
			return err
		}
		s.cur = p
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

// flush writes the current period's file.
func (s *parquetSink) flush() error {
	if s.app == nil {
		return nil
	}
	err := s.app.Close()
	s.app = nil
	if err != nil {
		return err
	}
	ctx := context.Background()
	if err := copyToParquet(ctx, s.conn, "FROM logs", filepath.Join(s.dir, "api-"+s.cur+".parquet")); err != nil {
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
