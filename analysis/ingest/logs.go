package ingest

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/marcboeker/go-duckdb/v2"

	"github.com/breachscope/breachscope/analysis/casefile"
)

// Input kinds of log files: a log source's lines are requests, an identity
// source's lines (a source named by another's identity_from) are caller
// identities for those requests.
const (
	kindLogs     = "logs"
	kindIdentity = "identity"
)

// logs ingests one log source. Go reads every file into units (lines, or
// CloudTrail records) with their numbers and byte offsets, decompressing
// and checking encodings and lengths; then the format's SQL script
// (queries/ingest_<format>.sql) parses all units of the source in one pass
// into access (or identities) and rejects. Parquet files are read by DuckDB
// directly. Every file's units are accounted for: read = header + accepted
// + rejected.
func (in *ingester) logs(ctx context.Context, src casefile.LogSource) error {
	if in.loaded(src.Name) {
		return nil // an identity source ingested early by the source that uses it
	}
	kind, table := kindLogs, "access"
	if in.c.IdentitySource(src.Name) {
		kind, table = kindIdentity, "identities"
	}
	files, err := expand(in.c.Dir, src.Path)
	if err != nil {
		return fmt.Errorf("log source %q: %w", src.Name, err)
	}
	data, paths, columns, err := scriptFor(src, table)
	if err != nil {
		return err
	}
	var batch []*Input
	for _, path := range files {
		i, err := in.register(ctx, kind, src.Name, src.Format, path)
		if err != nil {
			return err
		}
		batch = append(batch, i)
	}
	if err := in.loadUnits(ctx, src, batch, files, columns); err != nil {
		return err
	}
	params := map[string]any{
		"first_input": batch[0].ID,
		"last_input":  batch[len(batch)-1].ID,
		"timezone":    src.Timezone,
		"paths":       paths,
	}
	if src.Format == "parquet" {
		params["paths"] = files
	}
	if err := in.parse(ctx, src, data, params); err != nil {
		return err
	}
	if err := in.count(ctx, table, batch); err != nil {
		return fmt.Errorf("count log source %q: %w", src.Name, err)
	}
	for _, t := range []string{"log_lines", "log_header"} {
		if err := in.db.Exec(ctx, "DROP TABLE IF EXISTS "+t); err != nil {
			return err
		}
	}
	if src.IdentityFrom != nil {
		if err := in.joinIdentities(ctx, src, batch); err != nil {
			return err
		}
	}
	// One transaction for the whole batch: thousands of small files (ALB
	// writes one per node every five minutes) must not cost a commit each.
	if err := in.db.Exec(ctx, "BEGIN TRANSACTION"); err != nil {
		return err
	}
	for _, i := range batch {
		if err := in.record(ctx, i); err != nil {
			in.db.Exec(ctx, "ROLLBACK")
			return err
		}
	}
	return in.db.Exec(ctx, "COMMIT")
}

// parse runs the format's script. Rows carry their file and line, so their
// physical order in the tables means nothing: letting DuckDB insert in any
// order makes the inserts parallel (two to three times faster on 1M rows).
func (in *ingester) parse(ctx context.Context, src casefile.LogSource, data logScript, params map[string]any) error {
	if err := in.db.Exec(ctx, "SET preserve_insertion_order = false"); err != nil {
		return err
	}
	err := in.db.Script(ctx, "ingest_"+src.Format+".sql", data, params)
	if rerr := in.db.Exec(ctx, "RESET preserve_insertion_order"); err == nil {
		err = rerr
	}
	if err != nil {
		return fmt.Errorf("parse log source %q: %w", src.Name, sanitize(err))
	}
	return nil
}

// loaded reports whether a source's files are registered already.
func (in *ingester) loaded(source string) bool {
	for _, i := range in.inputs {
		if i.Kind != "customers" && i.Source == source {
			return true
		}
	}
	return false
}

// count sets each input's accepted and rejected counts in one pass per
// table, so thousands of small files cost two queries, not thousands.
func (in *ingester) count(ctx context.Context, table string, batch []*Input) error {
	first, last := batch[0].ID, batch[len(batch)-1].ID
	byID := map[int]*Input{}
	for _, i := range batch {
		byID[i.ID] = i
	}
	for _, q := range []struct {
		sql string
		set func(*Input, int64)
	}{
		{"SELECT input_id, count(*) FROM " + table + " WHERE input_id BETWEEN ? AND ? GROUP BY input_id", func(i *Input, n int64) { i.Accepted = n }},
		{"SELECT input_id, count(*) FROM rejects WHERE input_id BETWEEN ? AND ? GROUP BY input_id", func(i *Input, n int64) { i.Rejected = n }},
	} {
		rows, err := in.db.Query(ctx, q.sql, first, last)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int
			var n int64
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return err
			}
			if i := byID[id]; i != nil {
				q.set(i, n)
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
	}
	return nil
}

// loadUnits fills the temporary table log_lines with every unit of the
// source's files (and log_header with csv/tsv header positions), or, for
// parquet, counts each file's rows from its metadata.
func (in *ingester) loadUnits(ctx context.Context, src casefile.LogSource, batch []*Input, files, columns []string) error {
	read := readerFor(src.Format)
	if read == nil {
		if err := in.checkParquetColumns(ctx, src, files); err != nil {
			return err
		}
		for k, i := range batch {
			n, err := in.db.Int(ctx, "SELECT sum(num_rows) FROM parquet_file_metadata(?)", files[k])
			if err != nil {
				return fmt.Errorf("ingest %s: %w", i.Path, sanitize(err))
			}
			i.Read = n
		}
		return nil
	}
	err := in.db.Exec(ctx, `CREATE OR REPLACE TEMP TABLE log_lines (
		input_id INTEGER NOT NULL, line BIGINT NOT NULL, byte_offset BIGINT NOT NULL, text VARCHAR, reason VARCHAR)`)
	if err != nil {
		return err
	}
	var headers *headerTable
	if hasHeader(src.Format) {
		headers = newHeaderTable(src, columns)
	}
	err = in.db.Conn().Raw(func(dc any) error {
		app, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", "log_lines")
		if err != nil {
			return fmt.Errorf("appender for log_lines: %w", err)
		}
		for k, i := range batch {
			header, err := loadFile(ctx, app, i, files[k], read, headers != nil)
			if err == nil && headers != nil && i.Header > 0 {
				err = headers.add(i, header)
			}
			if err != nil {
				app.Close()
				return err
			}
		}
		return app.Close()
	})
	if err != nil {
		return err
	}
	if headers != nil {
		return headers.write(ctx, in)
	}
	return nil
}

// checkParquetColumns fails, naming the columns there are, when a mapped
// column is in none of the source's files.
func (in *ingester) checkParquetColumns(ctx context.Context, src casefile.LogSource, files []string) error {
	rows, err := in.db.Query(ctx, "SELECT lower(column_name), column_name FROM (DESCRIBE SELECT * FROM read_parquet(?, union_by_name = true))", files)
	if err != nil {
		return fmt.Errorf("log source %q: %w", src.Name, sanitize(err))
	}
	defer rows.Close()
	have := map[string]bool{}
	var names []string
	for rows.Next() {
		var lower, name string
		if err := rows.Scan(&lower, &name); err != nil {
			return err
		}
		have[lower] = true
		names = append(names, name)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var missing []string
	for _, f := range casefile.LogFields {
		if col := src.Fields[f]; col != "" && !have[strings.ToLower(col)] {
			missing = append(missing, fmt.Sprintf("%q (for %s)", col, f))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("log source %q: column %s not in its files; their columns are: %s; fix the source in case.yaml: %w",
			src.Name, strings.Join(missing, ", "), strings.Join(names, ", "), ErrMissingColumn)
	}
	return nil
}

// loadFile appends every unit of one file to log_lines and returns its
// first line when the format has a header line.
func loadFile(ctx context.Context, app *duckdb.Appender, i *Input, path string, read unitReader, header bool) (first []byte, err error) {
	st, err := read(path, func(l line) error {
		if l.Number%65536 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if header && l.Number == 1 {
			i.Header = 1
			if l.Reason != "" {
				return fmt.Errorf("its header line is unusable (%s); a %s log file starts with its column names: %w", l.Reason, i.Format, ErrMissingColumn)
			}
			first = append([]byte(nil), l.Text...)
			return nil
		}
		var text, reason any
		if l.Reason != "" {
			reason = l.Reason
		}
		if len(l.Text) <= MaxLineBytes && l.Text != nil {
			text = string(l.Text)
			if l.Reason == "invalid UTF-8" {
				// DuckDB only stores valid UTF-8; the bad bytes become U+FFFD.
				text = strings.ToValidUTF8(string(l.Text), "\uFFFD")
			}
		}
		return app.AppendRow(int32(i.ID), l.Number, l.Offset, text, reason)
	})
	i.Read = st.Lines - i.Header
	i.Warning = st.Warning
	if err != nil {
		return nil, fmt.Errorf("ingest %s: %w", i.Path, err)
	}
	return first, nil
}

// jsonPath turns a field mapping (a key, a dotted path, or a JSONPath
// starting with $) into the JSONPath DuckDB's json functions take; nil when
// the field is not mapped, which makes the extracted value NULL.
func jsonPath(field string) any {
	if field == "" {
		return nil
	}
	if strings.HasPrefix(field, "$") {
		return field
	}
	var b strings.Builder
	b.WriteString("$")
	for _, part := range strings.Split(field, ".") {
		b.WriteString(`."`)
		b.WriteString(strings.ReplaceAll(part, `"`, `\"`))
		b.WriteString(`"`)
	}
	return b.String()
}
