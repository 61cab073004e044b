// Command floor is baseline A of `make bench`: the minimal runner that
// executes floor.sql, the bare join an expert would write by hand for a
// synthetic case, through the same DuckDB as breachscope, and writes the
// exposed customers as CSV. It is the floor breachscope's own run is
// measured against (see bench/README.md).
package main

import (
	"context"
	"database/sql"
	_ "embed"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/marcboeker/go-duckdb/v2"
)

//go:embed floor.sql
var floorSQL string

func main() {
	caseDir := flag.String("case", "", "synthetic case directory (breachscope synth)")
	out := flag.String("out", "", "CSV file to write the exposed customers to")
	threads := flag.Int("threads", 0, "DuckDB threads (0: all cores)")
	memoryLimit := flag.String("memory-limit", "", "DuckDB memory limit such as 4GB")
	tempDir := flag.String("temp-dir", "", "DuckDB spill directory")
	flag.Parse()
	if *caseDir == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: floor -case DIR -out FILE [-threads N] [-memory-limit 4GB] [-temp-dir DIR]")
		os.Exit(2)
	}
	n, err := run(context.Background(), *caseDir, *out, *threads, *memoryLimit, *tempDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	fmt.Printf("exposed_customers %d\n", n)
}

func run(ctx context.Context, caseDir, out string, threads int, memoryLimit, tempDir string) (int64, error) {
	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		return 0, err
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	db.SetMaxOpenConns(1) // variables and tables live on one connection
	settings := map[string]any{
		"customers": filepath.Join(caseDir, "customers.csv"),
		"logs":      filepath.Join(caseDir, "logs", "*.jsonl*"),
	}
	for name, v := range settings {
		if _, err := db.ExecContext(ctx, "SET VARIABLE "+name+" = ?", v); err != nil {
			return 0, err
		}
	}
	pragmas := []string{}
	if threads > 0 {
		pragmas = append(pragmas, fmt.Sprintf("SET threads = %d", threads))
	}
	if memoryLimit != "" {
		pragmas = append(pragmas, "SET memory_limit = "+quote(memoryLimit))
	}
	if tempDir != "" {
		pragmas = append(pragmas, "SET temp_directory = "+quote(tempDir))
	}
	for _, p := range pragmas {
		if _, err := db.ExecContext(ctx, p); err != nil {
			return 0, fmt.Errorf("%s: %w", p, err)
		}
	}
	for _, stmt := range strings.Split(floorSQL, ";\n") {
		if strings.TrimSpace(stripComments(stmt)) == "" {
			continue
		}
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return 0, err
		}
	}
	copySQL := "COPY (SELECT * FROM exposed ORDER BY customer_id) TO " + quote(out) + " (HEADER)"
	if _, err := db.ExecContext(ctx, copySQL); err != nil {
		return 0, err
	}
	var n int64
	err = db.QueryRowContext(ctx, "SELECT count(*) FROM exposed").Scan(&n)
	return n, err
}

// quote makes a SQL string literal (COPY and SET take no parameters).
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func stripComments(stmt string) string {
	var b strings.Builder
	for _, line := range strings.Split(stmt, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			b.WriteString(line)
		}
	}
	return b.String()
}
