package cli

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/breachscope/breachscope/analysis"
	"github.com/breachscope/breachscope/analysis/synth"
)

// memoryLimit is the limit TestMemoryLimit runs under. It is well below the
// case's data (about 92 MB of inputs, an 86 MB case database) but above
// DuckDB's floor for a statement: writing a table holds about 0.5 MB per
// column (a data and a validity block of 256 KiB each), so the widest
// statements of a run need some 30 MB whatever the data size; even a
// 400-customer case fails at 20 MB. Before the non-spilling statements were
// restructured, this case needed 256 MB (people.sql). DuckDB is given 85%
// of --memory-limit: 64.6 MB (at 64MB, DuckDB's 54.4 MB fail people.sql).
const memoryLimit = "76MB"

// TestMemoryLimit runs a 200,000-customer synthetic case on one thread
// under a DuckDB memory limit below its data size and checks the exact
// known answer: a limit must change how the work is done (spilling to the
// temp directory), never the result. It fails, not skips, when a statement
// runs out of memory.
func TestMemoryLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("a 200,000-customer case: skipped with -short")
	}
	dir := filepath.Join(t.TempDir(), "case")
	want, err := synth.Generate(context.Background(), dir, synth.Options{Seed: 5, Customers: 200000})
	if err != nil {
		t.Fatal(err)
	}
	inputs := dirSize(t, dir)
	mustRun(t, "run", "--quiet", "--threads", "1", "--memory-limit", memoryLimit, "--run-id", "low", dir)
	checkSynthAnswer(t, dir, "low", want)
	db, err := os.Stat(filepath.Join(dir, analysis.DatabaseFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("inputs %d bytes, case database %d bytes, memory limit %s", inputs, db.Size(), memoryLimit)
}

// dirSize is the bytes of a synthetic case's inputs.
func dirSize(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && info.IsDir() && info.Name() == "expected" {
			return filepath.SkipDir // the known answer, not an input
		}
		if err == nil && info.Mode().IsRegular() {
			n += info.Size()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
