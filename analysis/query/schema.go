package query

import (
	"bufio"
	"context"
	_ "embed"
	"fmt"
	"strings"
)

// schemaText describes every case table and column, one line each:
// "table: text", "table.column: text", or "*.column: text" for a column
// that means the same in every table. Keep it next to the SQL that makes
// the tables: TestSchemaDescribed fails when a table or column lacks a line.
//
//go:embed schema.txt
var schemaText string

// descriptions is schemaText parsed.
var descriptions = func() map[string]string {
	m := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(schemaText))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if ok {
			m[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return m
}()

// Table is one case table (or view) with its columns.
type Table struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Columns     []Column `json:"columns"`
}

// Column is one column of a case table.
type Column struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Description string `json:"description"`
}

// Describe returns the description of a table ("t") or column ("t", "c").
func Describe(table, column string) string {
	if column == "" {
		return descriptions[table]
	}
	if d, ok := descriptions[table+"."+column]; ok {
		return d
	}
	if d, ok := descriptions["*."+column]; ok {
		return d
	}
	if table == "customers" || table == "customer_records" {
		return descriptions["customers.*"]
	}
	return ""
}

// Schema lists the case database's tables and views with their columns.
func (q *DB) Schema(ctx context.Context) ([]Table, error) {
	rows, err := q.conn.QueryContext(ctx, `SELECT table_name, column_name, data_type FROM information_schema.columns
		WHERE table_schema = 'main' AND table_catalog = current_database()
		ORDER BY table_name, ordinal_position`)
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	defer rows.Close()
	var out []Table
	for rows.Next() {
		var t, c, typ string
		if err := rows.Scan(&t, &c, &typ); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].Name != t {
			out = append(out, Table{Name: t, Description: Describe(t, "")})
		}
		last := &out[len(out)-1]
		last.Columns = append(last.Columns, Column{Name: c, Type: typ, Description: Describe(t, c)})
	}
	return out, rows.Err()
}
