package query

import (
	"context"
	"fmt"
)

// Result is a query's columns and rows, values as DuckDB returned them.
type Result struct {
	Columns []string
	Types   []string
	Rows    [][]any
	// Truncated is set when more rows existed than the limit allowed.
	Truncated bool
}

// Run runs one read-only statement and returns up to limit rows (all when
// limit <= 0). go-duckdb materialises a result before the first row is
// read, so very large results belong in a duckdb shell, not here.
func (q *DB) Run(ctx context.Context, sqlText string, limit int) (*Result, error) {
	if err := q.allowed(sqlText); err != nil {
		return nil, err
	}
	rows, err := q.conn.QueryContext(ctx, sqlText)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, cleanError(err)
	}
	defer rows.Close()
	res := &Result{}
	if res.Columns, err = rows.Columns(); err != nil {
		return nil, err
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	for _, t := range types {
		res.Types = append(res.Types, t.DatabaseTypeName())
	}
	for rows.Next() {
		if limit > 0 && len(res.Rows) == limit {
			res.Truncated = true
			break
		}
		vals := make([]any, len(res.Columns))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("read result: %w", cleanError(err))
		}
		res.Rows = append(res.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, cleanError(err)
	}
	return res, nil
}
