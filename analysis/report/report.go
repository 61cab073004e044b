// Package report writes a run's outputs from an analysed case database:
// notification list, legal workbook, analyst exports and the manifest,
// atomically into runs/<run-id>/.
package report

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/fault"
	"github.com/breachscope/breachscope/analysis/ingest"
	"github.com/breachscope/breachscope/analysis/phases"
	"github.com/breachscope/breachscope/analysis/refcode"
	"github.com/breachscope/breachscope/analysis/resolve"
	"github.com/breachscope/breachscope/analysis/store"
	"github.com/breachscope/breachscope/queries"
)

// Options configures one report.
type Options struct {
	// RunID names the run directory; "" derives it from the start time.
	RunID string
	// Tool is recorded in the manifest and methodology.
	Tool Tool
	// Now is the clock for the run record.
	Now func() time.Time
	// Timings of earlier phases in this process, for the manifest.
	Timings map[string]float64
	// Unmasked writes full personal data into the Individuals sheet; the
	// manifest records it.
	Unmasked bool
	// WorkbookIndividuals caps the rows of the workbook's Individuals sheet
	// (0: every person; the manifest records it). Every person is in the
	// notification files and data/people.parquet whatever the cap.
	WorkbookIndividuals int64
}

// DefaultWorkbookIndividuals is the Individuals sheet's default cap: a
// sheet counsel can open and page through; the full list of a
// million-person case belongs in the data exports, and Excel holds about
// a million rows per sheet.
const DefaultWorkbookIndividuals = 100_000

// Result describes a finished run.
type Result struct {
	RunID    string
	Dir      string
	Manifest *Manifest
}

// Output paths inside a run directory.
const (
	ExposedParquet  = "data/exposed_customers.parquet"
	EvidenceParquet = "data/evidence.parquet"
	UnmatchedCSV    = "data/unmatched_identifiers.csv"
	PeopleArrow     = "data/people.arrow"
	PeopleParquet   = "data/people.parquet"
	TimelineJSONL   = "timeline.jsonl"
	WorkbookXLSX    = "legal/impact.xlsx"
	ManifestJSON    = "manifest.json"
)

// Write writes every output of a run for the analysed case in db.
func Write(ctx context.Context, db *store.DB, c *casefile.Case, opts Options) (*Result, error) {
	started := opts.Now()
	if opts.RunID == "" {
		opts.RunID = newRunID(started)
	}
	counts, checks, err := resolve.Reconcile(ctx, db)
	if err != nil {
		return nil, err
	}
	if bad := resolve.Failed(checks); len(bad) > 0 {
		return nil, fmt.Errorf("counts do not reconcile: %s", bad[0].Equation())
	}
	final, partial, err := prepareRunDir(c.Dir, opts.RunID)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(partial)
		}
	}()
	secret, err := refcode.LoadSecret(c.Resolve(c.Notice.ReferenceSecretFile))
	if err != nil {
		return nil, err
	}
	gen, err := refcode.New(secret)
	if err != nil {
		return nil, err
	}
	if err := registerReference(db.Conn(), gen); err != nil {
		return nil, err
	}
	db.Ran = nil
	ph := phases.Start(ctx, "reference codes")
	if err := db.Script(ctx, "report_refs.sql", nil, nil); err != nil {
		return nil, err
	}
	if dup, err := db.Int(ctx, "SELECT count(*) - count(DISTINCT reference_code) FROM person_refs"); err != nil || dup != 0 {
		return nil, fmt.Errorf("reference codes: %d collision(s) (change the case's reference secret and re-run): %v", dup, err)
	}
	elements := c.Elements()
	params := map[string]any{
		"delim":          c.Notice.CSV.Delimiter,
		"exposed_path":   filepath.Join(partial, ExposedParquet),
		"evidence_path":  filepath.Join(partial, EvidenceParquet),
		"unmatched_path": filepath.Join(partial, UnmatchedCSV),
		"timeline_path":  filepath.Join(partial, TimelineJSONL),
		"people_path":    filepath.Join(partial, PeopleParquet),
	}
	for i, e := range elements {
		params[fmt.Sprintf("el_%d", i)] = e.Name
	}
	data := struct{ Elements []casefile.Element }{elements}
	ph.End()
	ph = phases.Start(ctx, "notification files")
	notifyOuts, err := writeNotify(ctx, db, c, partial)
	if err != nil {
		return nil, err
	}
	ph.End()
	ph = phases.Start(ctx, "parquet exports")
	if err := db.Script(ctx, "report_data.sql", data, params); err != nil {
		return nil, fmt.Errorf("data exports: %w", err)
	}
	quarantineRows, err := writeQuarantine(ctx, db, partial)
	if err != nil {
		return nil, err
	}
	ph.End()
	ph = phases.Start(ctx, "timeline")
	if err := db.Script(ctx, "report_timeline.sql", nil, params); err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	ph.End()
	ph = phases.Start(ctx, "arrow export")
	arrowRows, err := writeArrow(ctx, db, filepath.Join(partial, PeopleArrow))
	if err != nil {
		return nil, fmt.Errorf("arrow export: %w", err)
	}
	ph.End()
	inputs, err := readInputs(ctx, db)
	if err != nil {
		return nil, err
	}
	sqlRan, err := methodologySQL(ctx, db)
	if err != nil {
		return nil, err
	}
	m := &Manifest{
		Format: ManifestFormat, Tool: opts.Tool, Inputs: inputs, Counts: counts, Reconciliation: checks, SQL: sqlRan,
		Case: CaseRecord{Path: casefile.FileName, SHA256: sha256Hex(c.Raw), Content: string(c.Raw)},
	}
	m.Tool.DuckDB = db.Version(ctx)
	wb := &workbookInput{c: c, db: db, m: m, elements: elements, unmasked: opts.Unmasked, individuals: opts.WorkbookIndividuals}
	ph = phases.Start(ctx, "workbook")
	if err := writeWorkbook(ctx, filepath.Join(partial, WorkbookXLSX), filepath.Join(partial, ".xlsx-tmp"), wb); err != nil {
		return nil, fmt.Errorf("workbook: %w", err)
	}
	ph.End()
	ph = phases.Start(ctx, "manifest")
	rows := map[string]int64{
		ExposedParquet: counts.ExposedCustomers, WorkbookXLSX: 0,
	}
	if rows[EvidenceParquet], err = db.Int(ctx, "SELECT count(*) FROM evidence"); err != nil {
		return nil, err
	}
	rows[UnmatchedCSV] = counts.UnmatchedIdentifiers
	rows[QuarantineCSV] = quarantineRows
	rows[PeopleArrow] = arrowRows
	rows[TimelineJSONL] = counts.InScope
	m.Outputs = append(m.Outputs, notifyOuts...)
	if rows[PeopleParquet], err = db.Int(ctx, "SELECT count(*) FROM people"); err != nil {
		return nil, err
	}
	for _, p := range []string{PeopleParquet, UnmatchedCSV, QuarantineCSV, ExposedParquet, PeopleArrow, EvidenceParquet, TimelineJSONL, WorkbookXLSX} {
		out, err := describeOutput(partial, p, rows[p])
		if err != nil {
			return nil, err
		}
		m.Outputs = append(m.Outputs, out)
	}
	m.Run = RunRecord{
		ID: opts.RunID, StartedAt: started.UTC(), FinishedAt: opts.Now().UTC(),
		Options: map[string]any{"csv_bom": c.Notice.CSV.BOM, "csv_delimiter": c.Notice.CSV.Delimiter, "unmasked": opts.Unmasked,
			"workbook_individuals": opts.WorkbookIndividuals},
		Timings: opts.Timings,
		// The manifest's own phase ends after it is written, so it is not listed.
		Phases:            phases.FromContext(ctx).Records(),
		SlowestStatements: phases.FromContext(ctx).Slowest(15),
	}
	if err := fault.Point(ctx, fault.BeforeManifest); err != nil {
		return nil, err
	}
	if err := writeJSON(filepath.Join(partial, ManifestJSON), m); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if err := fault.Point(ctx, fault.BeforeRename); err != nil {
		return nil, err
	}
	if err := finish(partial, final); err != nil {
		return nil, err
	}
	ph.End()
	ok = true
	return &Result{RunID: opts.RunID, Dir: final, Manifest: m}, nil
}

func describeOutput(dir, rel string, rows int64) (Output, error) {
	size, sum, err := ingest.HashFile(filepath.Join(dir, rel))
	if err != nil {
		return Output{}, fmt.Errorf("hash output %s: %w", rel, err)
	}
	return Output{Path: rel, Size: size, SHA256: sum, Rows: rows}, nil
}

// prependBOM streams the file through a sibling with the UTF-8 byte-order
// mark in front: an email list can hold millions of rows, too many to read
// into memory.
func prependBOM(path string) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := path + ".bom"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = out.WriteString("\xef\xbb\xbf")
	if err == nil {
		_, err = io.Copy(out, in)
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("add byte-order mark: %w", err)
	}
	return os.Rename(tmp, path)
}

// readInputs returns the ingested inputs as recorded at ingest.
func readInputs(ctx context.Context, db *store.DB) ([]ingest.Input, error) {
	rows, err := db.Query(ctx, `SELECT input_id, kind, source, format, path, size, sha256, header_lines,
		rows_read, rows_accepted, rows_rejected, coalesce(warning, '') FROM inputs ORDER BY input_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ingest.Input
	for rows.Next() {
		var i ingest.Input
		if err := rows.Scan(&i.ID, &i.Kind, &i.Source, &i.Format, &i.Path, &i.Size, &i.SHA256, &i.Header,
			&i.Read, &i.Accepted, &i.Rejected, &i.Warning); err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// methodologySQL is the normalisation macros, then every statement of
// ingest and analyze as recorded in the case database, then the report's.
func methodologySQL(ctx context.Context, db *store.DB) ([]store.Statement, error) {
	macros, err := queries.Render("macros.sql", nil)
	if err != nil {
		return nil, err
	}
	out := []store.Statement{}
	for _, st := range queries.Statements(macros) {
		out = append(out, store.Statement{File: "macros.sql", SQL: st})
	}
	rows, err := db.Query(ctx, "SELECT file, sql FROM sql_log ORDER BY CASE phase WHEN 'ingest' THEN 0 ELSE 1 END, seq")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var st store.Statement
		if err := rows.Scan(&st.File, &st.SQL); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return append(out, db.Ran...), nil
}
