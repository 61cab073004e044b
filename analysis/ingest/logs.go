package ingest

import (
	"context"
	"fmt"
	"strings"

	"github.com/breachscope/breachscope/analysis/casefile"
)

// logs reads every file of a log source line by line into raw_lines (Go
// owns line numbering, byte offsets, decompression and encoding checks),
// then parses all of the source's lines in one SQL pass.
func (in *ingester) logs(ctx context.Context, src casefile.LogSource) error {
	files, err := expand(in.c.Dir, src.Path)
	if err != nil {
		return fmt.Errorf("log source %q: %w", src.Name, err)
	}
	var batch []*Input
	for _, path := range files {
		i, err := in.register(ctx, "logs", src.Name, src.Format, path)
		if err != nil {
			return err
		}
		if err := in.loadLines(ctx, i, path); err != nil {
			return err
		}
		batch = append(batch, i)
	}
	params := map[string]any{
		"first_input": batch[0].ID,
		"last_input":  batch[len(batch)-1].ID,
		"timezone":    src.Timezone,
	}
	for _, f := range casefile.LogFields {
		params["f_"+f] = jsonPath(src.Fields[f])
	}
	if err := in.db.Script(ctx, "ingest_"+src.Format+".sql", nil, params); err != nil {
		return fmt.Errorf("parse log source %q: %w", src.Name, err)
	}
	for _, i := range batch {
		if i.Accepted, err = in.db.Int(ctx, "SELECT count(*) FROM access WHERE input_id = ?", i.ID); err != nil {
			return err
		}
		if i.Rejected, err = in.db.Int(ctx, "SELECT count(*) FROM rejects WHERE input_id = ?", i.ID); err != nil {
			return err
		}
		if err := in.record(ctx, i); err != nil {
			return err
		}
	}
	return nil
}

// loadLines appends every physical line of one file to raw_lines.
func (in *ingester) loadLines(ctx context.Context, i *Input, path string) error {
	app, err := in.db.Appender(ctx, "raw_lines")
	if err != nil {
		return err
	}
	st, err := readLines(path, func(l line) error {
		if l.Number%65536 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		var text, reason any
		if l.Reason != "" {
			reason = l.Reason
			if len(l.Text) <= MaxLineBytes {
				text = string(l.Text)
			}
		} else {
			text = string(l.Text)
		}
		if l.Reason == "invalid UTF-8" {
			// DuckDB only stores valid UTF-8; keep the bytes visible as escapes.
			text = strings.ToValidUTF8(string(l.Text), "\uFFFD")
		}
		return app.AppendRow(int32(i.ID), l.Number, l.Offset, text, reason)
	})
	if cerr := app.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("ingest %s: %w", i.Path, err)
	}
	i.Read = st.Lines
	i.Warning = st.Warning
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
