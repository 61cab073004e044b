package query

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/breachscope/breachscope/analysis"
	"github.com/breachscope/breachscope/analysis/store"
)

var (
	caseOnce sync.Once
	caseDir  string
	caseErr  error
)

// analysedCase copies the demo case once and ingests and analyses it.
func analysedCase(t *testing.T) string {
	t.Helper()
	caseOnce.Do(func() {
		dir, err := os.MkdirTemp("", "query-test-")
		if err != nil {
			caseErr = err
			return
		}
		caseDir = filepath.Join(dir, "demo-case")
		if caseErr = os.CopyFS(caseDir, os.DirFS(filepath.Join("..", "..", "samples", "demo-case"))); caseErr != nil {
			return
		}
		ctx := context.Background()
		s, err := analysis.Open(ctx, caseDir, analysis.Options{})
		if err != nil {
			caseErr = err
			return
		}
		defer s.Close()
		if _, caseErr = s.Ingest(ctx); caseErr != nil {
			return
		}
		_, caseErr = s.Analyze(ctx)
	})
	if caseErr != nil {
		t.Fatal(caseErr)
	}
	return caseDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if caseDir != "" {
		os.RemoveAll(filepath.Dir(caseDir))
	}
	os.Exit(code)
}

func open(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), analysedCase(t), store.Options{TempDir: filepath.Join(t.TempDir(), "spill")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestRefusesWrites tries every way to change the case or touch files.
func TestRefusesWrites(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	before, err := db.Run(ctx, "SELECT count(*) FROM customers", 0)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "leak.csv")
	for _, q := range []string{
		"INSERT INTO meta VALUES ('x', 'y')",
		// customers is a view (no UPDATE or DELETE binds on it at all): the
		// base table holding the same records is tried instead.
		"UPDATE customer_records SET email = NULL",
		"DELETE FROM customer_records",
		"DROP TABLE customer_records",
		"DROP VIEW customers",
		"UPDATE customers SET email = NULL",
		"DELETE FROM customers",
		"INSERT INTO customers SELECT * FROM customers",
		"CREATE TABLE x AS SELECT 1",
		"CREATE TEMP TABLE x AS SELECT * FROM customers",
		"ALTER TABLE customers ADD COLUMN x INT",
		"COPY customers TO '" + out + "'",
		"COPY (SELECT * FROM customers) TO '" + out + "' (FORMAT csv)",
		"EXPORT DATABASE '" + filepath.Dir(out) + "'",
		"ATTACH '" + filepath.Join(t.TempDir(), "x.duckdb") + "' AS x",
		"SELECT * FROM read_csv('/etc/hostname')",
		"SET threads = 1",
		"INSTALL inet",
		"LOAD inet",
		"SELECT 1; DELETE FROM customer_records",
		"CHECKPOINT",
		"   ;  ",
	} {
		if _, err := db.Run(ctx, q, 0); !errors.Is(err, ErrReadOnly) && !strings.Contains(fmtErr(err), "read-only") {
			t.Errorf("%q: want a refusal, got %v", q, err)
		}
	}
	after, err := db.Run(ctx, "SELECT count(*) FROM customers", 0)
	if err != nil || Text(after.Rows[0][0]) != Text(before.Rows[0][0]) {
		t.Errorf("customers changed: %v -> %v (%v)", before.Rows, after.Rows, err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a file was written")
	}
	for _, q := range []string{"DESCRIBE customers", "SHOW TABLES", "SUMMARIZE inputs", "FROM inputs", "EXPLAIN SELECT 1",
		"WITH x AS (SELECT 1 AS a) SELECT a FROM x", "PRAGMA show_tables", "SELECT 1 -- comment"} {
		if _, err := db.Run(ctx, q, 0); err != nil {
			t.Errorf("%q: %v", q, err)
		}
	}
}

func fmtErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestFallbackColumnsMasked: customer_fallback holds linked records'
// addresses and account numbers, so every column but the id is masked.
func TestFallbackColumnsMasked(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	res, err := db.Run(ctx, "SELECT * FROM customer_fallback", 0)
	if err != nil {
		t.Fatal(err)
	}
	m := db.Masker(ctx)
	if len(res.Columns) != 8 {
		t.Fatalf("customer_fallback columns: %v", res.Columns)
	}
	for _, c := range res.Columns {
		if m.Masked(c) != (c != "customer_id") {
			t.Errorf("column %s: masked %v", c, m.Masked(c))
		}
	}
}

// TestTableMasksPersonalData prints customer rows as a table: personal
// columns are masked, ids and NULLs shown; CSV and JSON are exports.
func TestTableMasksPersonalData(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	res, err := db.Run(ctx, "SELECT customer_id, first_name, email, plan, address_line2, email AS e, first_name AS given FROM customers ORDER BY customer_id LIMIT 2", 0)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteTable(&b, res, db.Masker(ctx)); err != nil {
		t.Fatal(err)
	}
	want := "customer_id  first_name  email  plan  address_line2  e    given\n" +
		"-----------  ----------  -----  ----  -------------  ---  -----\n" +
		"C0000001     ***         ***    ***   NULL           ***  Kevin\n" +
		"C0000002     ***         ***    ***   NULL           ***  Lisa\n"
	if b.String() != want {
		t.Errorf("table:\n%s\nwant (emails are masked anywhere; an alias of a name escapes the mask, as documented):\n%s", b.String(), want)
	}
	b.Reset()
	if err := WriteCSV(&b, res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "C0000001,Kevin,kevin.nguyen1@example.org,Family Share,,kevin.nguyen1@example.org,Kevin\n") {
		t.Errorf("csv:\n%s", b.String())
	}
	b.Reset()
	if err := WriteJSON(&b, res); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), `[`+"\n"+`  {"customer_id": "C0000001", "first_name": "Kevin", "email": "kevin.nguyen1@example.org", "plan": "Family Share", "address_line2": null,`) {
		t.Errorf("json:\n%s", b.String())
	}
}

func TestLimitAndTypes(t *testing.T) {
	db := open(t)
	res, err := db.Run(context.Background(), "SELECT ts, status, [1, 2] AS l, {'a': 1} AS s FROM access ORDER BY event_id", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 3 || !res.Truncated {
		t.Fatalf("rows %d, truncated %v", len(res.Rows), res.Truncated)
	}
	var b bytes.Buffer
	if err := WriteJSON(&b, res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `{"ts": "2022-11-20T00:00:47Z", "status": 200, "l": [1,2], "s": {"a":1}}`) {
		t.Errorf("json:\n%s", b.String())
	}
}

// TestErrorsHideValues: DuckDB quotes the value a cast failed on; the
// error must not carry it to the terminal.
func TestErrorsHideValues(t *testing.T) {
	db := open(t)
	_, err := db.Run(context.Background(), "SELECT CAST(first_name AS INTEGER) FROM customers", 0)
	if err == nil || strings.Contains(err.Error(), "Kevin") || !strings.Contains(err.Error(), "'…'") {
		t.Errorf("got %v", err)
	}
	_, err = db.Run(context.Background(), "SELECT * FROM custmers", 0)
	if err == nil || !strings.Contains(err.Error(), `"customers"`) {
		t.Errorf("a misspelt table should suggest the right one: %v", err)
	}
}

func TestTerminalSafety(t *testing.T) {
	if got := safe("ok\x1b[2J\r\nbye"); got != `ok\x1b[2J\x0d\x0abye` {
		t.Errorf("safe = %q", got)
	}
	if got := safe(strings.Repeat("x", 100)); len([]rune(got)) != maxCell+1 {
		t.Errorf("long values are cut: %d", len([]rune(got)))
	}
}

// TestSchemaDescribed lists the tables of an analysed case: every table and
// every column has a description (add missing ones to schema.txt).
func TestSchemaDescribed(t *testing.T) {
	tables, err := open(t).Schema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) < 10 {
		t.Fatalf("only %d tables", len(tables))
	}
	for _, tb := range tables {
		if tb.Description == "" {
			t.Errorf("table %s has no description in analysis/query/schema.txt", tb.Name)
		}
		for _, c := range tb.Columns {
			if c.Description == "" {
				t.Errorf("column %s.%s has no description in analysis/query/schema.txt", tb.Name, c.Name)
			}
		}
	}
}

func TestNotIngested(t *testing.T) {
	_, err := Open(context.Background(), t.TempDir(), store.Options{})
	if !errors.Is(err, ErrNoDatabase) {
		t.Errorf("got %v", err)
	}
}

func TestRequestColumnsKeepTheEndpoint(t *testing.T) {
	m := &Masker{}
	for in, want := range map[string]string{
		"/api/v1/accounts/0001000194":     "/api/v1/accounts/***",
		"msisdn=%2B15755550199&fmt=json":  "msisdn=***&fmt=json",
		"msisdn=575.555.0199":             "msisdn=***",
		"/users/jane%40example.com/cards": "/users/***/cards",
		"/api/v1/health":                  "/api/v1/health",
	} {
		if got := m.Cell("path", in); got != want {
			t.Errorf("Cell(path, %q) = %q, want %q", in, got, want)
		}
	}
	if got := m.Cell("endpoint", "/api/v1/accounts/0001000194"); got != "/api/v1/accounts/0001000194" {
		t.Errorf("other columns are left alone: %q", got)
	}
}

func TestPersonalValuesAnywhere(t *testing.T) {
	m := &Masker{}
	for in, want := range map[string]string{
		"mail jane.doe@example.com now": "mail *** now",
		"+15755550199":                  "***",
		"C0000001":                      "C0000001",
		"1099511627938":                 "1099511627938",
	} {
		if got := m.Cell("anything", in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMemoryLimitShare: query gives DuckDB 85% of --memory-limit, as every
// other command does.
func TestMemoryLimitShare(t *testing.T) {
	db, err := Open(context.Background(), analysedCase(t), store.Options{TempDir: filepath.Join(t.TempDir(), "spill"), MemoryLimit: "8GB"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Run(context.Background(), "SELECT current_setting('memory_limit')", 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(res.Rows[0][0]); got != "6.3 GiB" {
		t.Errorf("--memory-limit 8GB: DuckDB's memory_limit is %s, want 6.3 GiB", got)
	}
}
