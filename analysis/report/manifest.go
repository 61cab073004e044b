package report

import (
	"encoding/json"
	"os"
	"time"

	"github.com/breachscope/breachscope/analysis/ingest"
	"github.com/breachscope/breachscope/analysis/phases"
	"github.com/breachscope/breachscope/analysis/resolve"
	"github.com/breachscope/breachscope/analysis/store"
)

// Manifest is manifest.json: what went in, what came out, and how. Only the
// Run record holds wall-clock times; everything else is reproducible.
type Manifest struct {
	Format         string            `json:"format"`
	Tool           Tool              `json:"tool"`
	Run            RunRecord         `json:"run"`
	Case           CaseRecord        `json:"case"`
	Inputs         []ingest.Input    `json:"inputs"`
	Outputs        []Output          `json:"outputs"`
	Counts         *resolve.Counts   `json:"counts"`
	Reconciliation []resolve.Check   `json:"reconciliation"`
	SQL            []store.Statement `json:"sql"`
}

// ManifestFormat versions the manifest's shape.
const ManifestFormat = "breachscope-manifest/1"

// Tool identifies the software that made the run.
type Tool struct {
	Name      string            `json:"name"`
	Version   string            `json:"version"`
	Commit    string            `json:"commit"`
	Go        string            `json:"go"`
	DuckDB    string            `json:"duckdb"`
	Libraries map[string]string `json:"libraries"`
}

// RunRecord is the run's identity, times and output-changing options.
type RunRecord struct {
	ID         string             `json:"id"`
	StartedAt  time.Time          `json:"started_at"`
	FinishedAt time.Time          `json:"finished_at"`
	Options    map[string]any     `json:"options"`
	Timings    map[string]float64 `json:"timings_seconds"`
	// Phases are the finer phases of this process's work (ingest, analysis
	// and report steps) with their peak memory; a report run alone lists
	// only its own.
	Phases []phases.Record `json:"phases,omitempty"`
	// SlowestStatements are where the time went, for explaining a slow run.
	SlowestStatements []phases.StatementTiming `json:"slowest_statements,omitempty"`
}

// CaseRecord is the case file as it was when the run was made.
type CaseRecord struct {
	Path    string `json:"path"`
	SHA256  string `json:"sha256"`
	Content string `json:"content"`
}

// Output is one file of the run.
type Output struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	Rows   int64  `json:"rows"`
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o600)
}
