package synth

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"

	"github.com/marcboeker/go-duckdb/v2"
)

// openScratch opens an in-memory DuckDB on one connection. Parquet is
// DuckDB's to write; one thread keeps the bytes the same from run to run.
func openScratch(ctx context.Context) (*sql.DB, *sql.Conn, error) {
	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		return nil, nil, err
	}
	db := sql.OpenDB(connector)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	if _, err := conn.ExecContext(ctx, "SET threads = 1"); err != nil {
		conn.Close()
		db.Close()
		return nil, nil, err
	}
	return db, conn, nil
}

// copyToParquet runs COPY (query) TO path as zstd Parquet and makes the
// file 0600: DuckDB creates it with the process umask, and a case file
// holds (fictional) PII like any real one. path must not exist yet.
func copyToParquet(ctx context.Context, conn *sql.Conn, query, path string) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("synth: %s exists", path)
	}
	copySQL := "COPY (" + query + ") TO " + sqlString(path) + " (FORMAT parquet, COMPRESSION zstd)"
	if _, err := conn.ExecContext(ctx, copySQL); err != nil {
		return fmt.Errorf("synth: write %s: %w", path, err)
	}
	return os.Chmod(path, fileMode)
}

// sqlString quotes s as an SQL string literal. COPY takes its file name as
// a literal, not a parameter; the paths are synth's own.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
