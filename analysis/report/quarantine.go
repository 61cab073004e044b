package report

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/breachscope/breachscope/analysis/store"
)

// QuarantineCSV is the run's quarantine file: one row per rejected input
// line or record, with its file, line, byte offset and reason, so that an
// analyst can find every unit the counts leave out. It holds no rejected
// content (see queries/ingest_quarantine.sql).
const QuarantineCSV = "data/rejected_lines.csv"

// writeQuarantine writes QuarantineCSV into the run directory dir and
// returns its row count, counted from the rejects table it was written
// from.
func writeQuarantine(ctx context.Context, db *store.DB, dir string) (int64, error) {
	params := map[string]any{"quarantine_path": filepath.Join(dir, QuarantineCSV)}
	if err := db.Script(ctx, "ingest_quarantine.sql", nil, params); err != nil {
		return 0, fmt.Errorf("quarantine file: %w", err)
	}
	n, err := db.Int(ctx, "SELECT count(*) FROM rejects")
	if err != nil {
		return 0, fmt.Errorf("quarantine file: %w", err)
	}
	return n, nil
}
