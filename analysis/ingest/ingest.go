// Package ingest loads a case's inputs into the case database: it hashes
// every input file, normalises customers and access-log lines into the case
// tables, keeps the file and line of every row, and quarantines what does not
// parse, so that every input line is accounted for.
package ingest

import (
	"context"
	"fmt"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/phases"
	"github.com/breachscope/breachscope/analysis/store"
)

// Input is one ingested file and what became of its rows.
type Input struct {
	ID       int    `json:"input_id"`
	Kind     string `json:"kind"`
	Source   string `json:"source"`
	Format   string `json:"format"`
	Path     string `json:"path"`
	Size     int64  `json:"size"`
	SHA256   string `json:"sha256"`
	Header   int64  `json:"header_lines"`
	Read     int64  `json:"rows_read"`
	Accepted int64  `json:"rows_accepted"`
	Rejected int64  `json:"rows_rejected"`
	Warning  string `json:"warning,omitempty"`
}

// Result summarises an ingest.
type Result struct {
	Inputs    []Input
	Customers int64
	Requests  int64
	Rejected  int64
}

// SchemaVersion changes whenever the case tables change shape or set (3:
// working tables of the analysis became temporary; 4: customers became a
// view over customer_records); a case database from another version is
// rebuilt, never trusted.
const SchemaVersion = "4"

// Run (re)builds the case tables from the inputs declared in c.
func Run(ctx context.Context, db *store.DB, c *casefile.Case) (*Result, error) {
	if err := db.Script(ctx, "schema.sql", struct{ Fields []string }{c.RecordFields()}, nil); err != nil {
		return nil, fmt.Errorf("create case tables: %w", err)
	}
	in := &ingester{db: db, c: c}
	ph := phases.Start(ctx, "ingest customers")
	for _, src := range c.Customers.Sources {
		if err := in.customers(ctx, src); err != nil {
			return nil, err
		}
	}
	if err := in.finishCustomers(ctx); err != nil {
		return nil, err
	}
	if err := in.checkUniqueCustomers(ctx); err != nil {
		return nil, err
	}
	ph.End()
	ph = phases.StartCounted(ctx, "ingest logs", in.findLogFiles(), phases.Bytes)
	for _, src := range c.Logs {
		if err := in.logs(ctx, src); err != nil {
			return nil, err
		}
	}
	ph.End()
	if err := db.Exec(ctx, "INSERT INTO meta VALUES ('schema_version', ?)", SchemaVersion); err != nil {
		return nil, fmt.Errorf("record schema version: %w", err)
	}
	res := &Result{}
	for _, i := range in.inputs {
		res.Inputs = append(res.Inputs, *i)
		res.Rejected += i.Rejected
		if i.Kind == "customers" {
			res.Customers += i.Accepted
		} else if i.Kind == "logs" {
			res.Requests += i.Accepted
		}
	}
	return res, nil
}

type ingester struct {
	db     *store.DB
	c      *casefile.Case
	inputs []*Input
	// logFiles are each log source's files, found once (findLogFiles).
	logFiles map[string]sourceFiles
}

// register hashes a file and records it as the next input.
func (in *ingester) register(ctx context.Context, kind, source, format, path string) (*Input, error) {
	h, err := hashFile(path)
	if err != nil {
		return nil, fmt.Errorf("ingest %s: %w", path, err)
	}
	i := &Input{
		ID: len(in.inputs) + 1, Kind: kind, Source: source, Format: format,
		Path: relPath(in.c.Dir, path), Size: h.Size, SHA256: h.SHA256,
	}
	in.inputs = append(in.inputs, i)
	return i, nil
}

// add records a file as the next input without hashing it: log readers
// hash a file while they read it.
func (in *ingester) add(kind, source, format, path string) *Input {
	i := &Input{ID: len(in.inputs) + 1, Kind: kind, Source: source, Format: format, Path: relPath(in.c.Dir, path)}
	in.inputs = append(in.inputs, i)
	return i
}

// record writes an input's counts once its rows are in.
func (in *ingester) record(ctx context.Context, i *Input) error {
	var warning any
	if i.Warning != "" {
		warning = i.Warning
	}
	err := in.db.Exec(ctx, `INSERT INTO inputs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		i.ID, i.Kind, i.Source, i.Format, i.Path, i.Size, i.SHA256, i.Header, i.Read, i.Accepted, i.Rejected, warning)
	if err != nil {
		return fmt.Errorf("record input %s: %w", i.Path, err)
	}
	return nil
}
