package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/store"
)

// Input kinds of log files: a log source's lines are requests, an identity
// source's lines (a source named by another's identity_from) are caller
// identities for those requests.
const (
	kindLogs     = "logs"
	kindIdentity = "identity"
)

// logs ingests one log source. Go reads every file into units (lines, or
// CloudTrail records) with their numbers and byte offsets, decompressing,
// hashing and checking encodings and lengths, and streams them into the
// format's SQL script (queries/ingest_<format>.sql), which parses all units
// of the source in one pass on all DuckDB's threads and inserts the
// accepted ones into access (or identities), handing the others with their
// reason to Go, which stores them in rejects. Only when a source rejects
// more units than Go keeps does a second pass read the files with rejects
// again and quarantine those units itself. Parquet files
// are read by DuckDB directly. Every file's units are accounted for: read
// = header + accepted + rejected, or the ingest fails.
func (in *ingester) logs(ctx context.Context, src casefile.LogSource) error {
	if in.loaded(src.Name) {
		return nil // an identity source ingested early by the source that uses it
	}
	kind, table := kindLogs, "access"
	if in.c.IdentitySource(src.Name) {
		kind, table = kindIdentity, "identities"
	}
	found := in.logFiles[src.Name]
	files, note, err := found.files, found.note, found.err
	if err != nil {
		return fmt.Errorf("log source %q: %w", src.Name, err)
	}
	data, paths, columns, err := scriptFor(src, table)
	if err != nil {
		return err
	}
	read := readerFor(src.Format)
	var batch []*Input
	for _, path := range files {
		var i *Input
		if read == nil {
			i, err = in.register(ctx, kind, src.Name, src.Format, path)
		} else {
			i = in.add(kind, src.Name, src.Format, path) // hashed while read
		}
		if err != nil {
			return err
		}
		batch = append(batch, i)
	}
	params := map[string]any{
		"first_input":  batch[0].ID,
		"last_input":   batch[len(batch)-1].ID,
		"timezone":     src.Timezone,
		"paths":        paths,
		"unit_reasons": unitReasons,
		"structure":    data.Structure,
	}
	units := make([]unitFile, len(files))
	for k, i := range batch {
		units[k] = unitFile{in: i, path: files[k], skipHeader: hasHeader(src.Format)}
	}
	if read == nil {
		if err := in.parquetRows(ctx, src, batch, files); err != nil {
			return err
		}
		params["paths"] = files
	} else if hasHeader(src.Format) {
		if err := in.readHeaders(ctx, src, columns, units); err != nil {
			return err
		}
	}
	if err := in.account(ctx, src, table, data, params, batch, units); err != nil {
		return err
	}
	if err := in.db.Exec(ctx, "DROP TABLE IF EXISTS log_header"); err != nil {
		return err
	}
	if src.IdentityFrom != nil {
		if err := in.joinIdentities(ctx, src, batch); err != nil {
			return err
		}
	}
	// The note on the case's own files goes with the source's first file,
	// as for customer sources; reading set the file's own warning.
	if note != "" {
		batch[0].Warning = strings.TrimPrefix(batch[0].Warning+"; "+note, "; ")
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

// account runs the accepting pass over every file, which inserts the
// accepted units and hands the others to a quarantine, stores the
// quarantine in rejects (or, when it overflowed, runs the quarantining pass
// over the files, of parquet the source, whose units were not all
// accepted), and checks that each file's units add up: read = accepted +
// rejected.
func (in *ingester) account(ctx context.Context, src casefile.LogSource, table string, data logScript, params map[string]any, batch []*Input, units []unitFile) error {
	if err := registerQuarantineFunction(ctx, in.db); err != nil {
		return err
	}
	q, token, release := newQuarantine()
	defer release()
	params["quarantine"] = token
	if err := in.parse(ctx, src, data, params, units); err != nil {
		return err
	}
	if err := in.count(ctx, table, batch, "accepted"); err != nil {
		return fmt.Errorf("count log source %q: %w", src.Name, err)
	}
	var left []unitFile
	for k, i := range batch {
		if i.Read > i.Accepted {
			left = append(left, units[k])
		}
	}
	if len(left) > 0 {
		if q.overflow {
			data.Rejects = true
			if readerFor(src.Format) == nil {
				left = units // read_parquet reads the source's files together
			}
			if err := in.parse(ctx, src, data, params, left); err != nil {
				return err
			}
		} else if err := q.store(ctx, in.db); err != nil {
			return fmt.Errorf("log source %q: %w", src.Name, err)
		}
		if err := in.count(ctx, table, batch, "rejected"); err != nil {
			return fmt.Errorf("count log source %q: %w", src.Name, err)
		}
	}
	for _, i := range batch {
		if i.Read != i.Accepted+i.Rejected {
			return fmt.Errorf("ingest %s: %d units read, %d accepted and %d rejected: %w", i.Path, i.Read, i.Accepted, i.Rejected, ErrUnaccounted)
		}
	}
	return nil
}

// ErrUnaccounted is returned when a log file's units do not add up to
// accepted + rejected: nothing may be lost silently.
var ErrUnaccounted = errors.New("not every unit is accounted for; this is a bug in breachscope, please report it")

// parse runs the format's script over the units of files: the accepting
// pass, or (data.Rejects) the quarantining one. Rows carry their file and
// line, so their physical order in the tables means nothing: letting
// DuckDB insert in any order makes the inserts parallel.
func (in *ingester) parse(ctx context.Context, src casefile.LogSource, data logScript, params map[string]any, files []unitFile) error {
	if err := in.db.Exec(ctx, "SET preserve_insertion_order = false"); err != nil {
		return err
	}
	if !data.Rejects {
		// The accepting pass keeps a unit when its reason is NULL; pushed
		// down, that filter would take the reason's expressions (the parsed
		// time, status and size) below the projection that computes them,
		// and every unit's fields would be parsed twice.
		if err := in.db.Exec(ctx, "SET disabled_optimizers = 'filter_pushdown'"); err != nil {
			return err
		}
		defer in.db.Exec(context.WithoutCancel(ctx), "RESET disabled_optimizers")
	}
	run := func(token int64) error {
		params["units"] = token
		return in.db.Script(ctx, "ingest_"+src.Format+".sql", data, params)
	}
	var err error
	if read := readerFor(src.Format); read != nil {
		err = withUnits(ctx, in.db, read, files, run)
	} else {
		err = run(0)
	}
	if rerr := in.db.Exec(context.WithoutCancel(ctx), "RESET preserve_insertion_order"); err == nil {
		err = rerr
	}
	var re *readError
	switch {
	case errors.As(err, &re):
		return re.err
	case err != nil:
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

// count sets each input's accepted (or rejected) count in one query, so
// thousands of small files cost one query, not thousands.
func (in *ingester) count(ctx context.Context, table string, batch []*Input, what string) error {
	q, set := "SELECT input_id, count(*) FROM "+table+" WHERE input_id BETWEEN ? AND ? GROUP BY input_id", func(i *Input, n int64) { i.Accepted = n }
	if what == "rejected" {
		q, set = "SELECT input_id, count(*) FROM rejects WHERE input_id BETWEEN ? AND ? GROUP BY input_id", func(i *Input, n int64) { i.Rejected = n }
	}
	counts, err := store.Counts[int](ctx, in.db, q, batch[0].ID, batch[len(batch)-1].ID)
	if err != nil {
		return err
	}
	for _, i := range batch {
		if n, ok := counts[i.ID]; ok {
			set(i, n)
		}
	}
	return nil
}

// parquetRows checks the mapped columns and counts each file's rows from
// its metadata.
func (in *ingester) parquetRows(ctx context.Context, src casefile.LogSource, batch []*Input, files []string) error {
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

// readHeaders reads the header line of every csv/tsv file of the source
// into the temporary table log_header (the position of each mapped column
// in each file).
func (in *ingester) readHeaders(ctx context.Context, src casefile.LogSource, columns []string, files []unitFile) error {
	headers := newHeaderTable(src, columns)
	for _, f := range files {
		first, err := readHeader(readerFor(src.Format), f.path)
		if err != nil {
			return fmt.Errorf("ingest %s: %w", f.in.Path, err)
		}
		if first == nil {
			continue // an empty file: no header, no lines
		}
		if first.Reason != "" {
			return fmt.Errorf("ingest %s: its header line is unusable (%s); a %s log file starts with its column names: %w", f.in.Path, first.Reason, src.Format, ErrMissingColumn)
		}
		if err := headers.add(f.in, first.Text); err != nil {
			return err
		}
	}
	return headers.write(ctx, in)
}

// readHeader returns the first unit of a file, nil when it has none.
func readHeader(read unitReader, path string) (*line, error) {
	var first *line
	_, err := read(path, func(l line) error {
		first = &line{Number: l.Number, Text: append([]byte(nil), l.Text...), Reason: l.Reason}
		return errHeaderRead
	})
	if err != nil && !errors.Is(err, errHeaderRead) {
		return nil, err
	}
	return first, nil
}

var errHeaderRead = errors.New("header read")

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
