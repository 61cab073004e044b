package ingest

import (
	"bytes"
	"context"
	"database/sql/driver"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"

	"github.com/marcboeker/go-duckdb/v2"

	"github.com/breachscope/breachscope/analysis/casefile"
)

// headerTable fills the temporary table log_header: per csv/tsv file, its
// header's field count and the 1-based position of every mapped column, so
// that files of one source may order their columns differently.
type headerTable struct {
	src     casefile.LogSource
	columns []string // mapped columns, lower case, in the order the script indexes them
	rows    []headerRow
}

type headerRow struct {
	input, fields int32
	pos           []int32
}

func newHeaderTable(src casefile.LogSource, columns []string) *headerTable {
	return &headerTable{src: src, columns: columns}
}

// add records one file's header line.
func (h *headerTable) add(i *Input, line []byte) error {
	r := csv.NewReader(bytes.NewReader(line))
	if h.src.Format == "tsv" {
		r.Comma = '\t'
	}
	names, err := r.Read()
	if err != nil {
		return fmt.Errorf("ingest %s: its header line is not a %s record: %w", i.Path, h.src.Format, ErrMissingColumn)
	}
	lower := make([]string, len(names))
	for k, n := range names {
		lower[k] = strings.ToLower(strings.TrimSpace(n))
	}
	pos := make([]int32, len(h.columns))
	var missing []string
	for k, c := range h.columns {
		p := slices.Index(lower, c)
		if p < 0 {
			missing = append(missing, fmt.Sprintf("%q", c))
		}
		pos[k] = int32(p + 1)
	}
	if len(missing) > 0 {
		return fmt.Errorf("ingest %s: column %s not in its header; its columns are: %s; fix log source %q in case.yaml: %w",
			i.Path, strings.Join(missing, ", "), strings.Join(names, ", "), h.src.Name, ErrMissingColumn)
	}
	h.rows = append(h.rows, headerRow{int32(i.ID), int32(len(names)), pos})
	return nil
}

// write creates log_header with the headers added.
func (h *headerTable) write(ctx context.Context, in *ingester) error {
	if err := in.db.Exec(ctx, "CREATE OR REPLACE TEMP TABLE log_header (input_id INTEGER NOT NULL, fields INTEGER NOT NULL, p INTEGER[] NOT NULL)"); err != nil {
		return err
	}
	return in.db.Conn().Raw(func(dc any) error {
		app, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", "log_header")
		if err != nil {
			return fmt.Errorf("appender for log_header: %w", err)
		}
		for _, r := range h.rows {
			if err := app.AppendRow(r.input, r.fields, r.pos); err != nil {
				app.Close()
				return err
			}
		}
		return app.Close()
	})
}
