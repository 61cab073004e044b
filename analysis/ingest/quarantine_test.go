package ingest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestQuarantineOverflow ingests every fixture with rejected lines twice:
// with the quarantine the accepting pass fills, and with a quarantine too
// small for a single unit, which falls back to reading the files with
// rejects again. Both must give the same rejects (content and offsets
// included), access rows and accounting, and each must take its own path.
func TestQuarantineOverflow(t *testing.T) {
	dirs := []string{filepath.Join("testdata", "awkward")}
	for _, f := range []string{"combined", "alb", "apigw", "cloudtrail", "csv", "tsv", "parquet"} {
		dir := filepath.Join("testdata", "formats", f)
		if f == "parquet" {
			dir = parquetFixture(t, dir)
		}
		dirs = append(dirs, dir)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			kept, keptPasses := ingestState(t, dir)
			units, bytes := quarantineMaxUnits, quarantineMaxBytes
			quarantineMaxUnits, quarantineMaxBytes = 0, 0
			t.Cleanup(func() { quarantineMaxUnits, quarantineMaxBytes = units, bytes })
			reread, rereadPasses := ingestState(t, dir)
			if diff := cmp.Diff(kept, reread); diff != "" {
				t.Errorf("quarantine kept vs files read again (-kept +reread):\n%s", diff)
			}
			if !strings.Contains(kept, "\t") || keptPasses != 0 {
				t.Errorf("kept quarantine: %d quarantining passes, state:\n%s", keptPasses, kept)
			}
			if rereadPasses == 0 {
				t.Errorf("overflowing quarantine: no quarantining pass ran")
			}
		})
	}
}

// ingestState ingests a case and returns its rejects and per-file
// accounting as text, and how many quarantining passes ran.
func ingestState(t *testing.T, dir string) (string, int) {
	t.Helper()
	c, db := openCase(t, dir)
	if _, err := Run(context.Background(), db, c); err != nil {
		t.Fatal(err)
	}
	passes := 0
	for _, st := range db.Ran {
		if strings.HasPrefix(strings.TrimSpace(st.SQL), "INSERT INTO rejects (input_id, line, byte_offset, reason, content)") {
			passes++
		}
	}
	return "## inputs\n" + dump(t, db, "SELECT input_id, path, rows_read, rows_accepted, rows_rejected FROM inputs ORDER BY input_id") +
		"\n## rejects\n" + dump(t, db, "SELECT r.* FROM rejects r JOIN inputs i USING (input_id) WHERE i.kind <> 'customers' ORDER BY ALL") +
		"\n## access\n" + dump(t, db, "SELECT count(*), sum(hash(a)) FROM access a"), passes
}

// TestQuarantineLimits: a quarantine stops keeping units, and drops the
// ones it kept, once it holds too many units or too much text.
func TestQuarantineLimits(t *testing.T) {
	units, bytes := quarantineMaxUnits, quarantineMaxBytes
	t.Cleanup(func() { quarantineMaxUnits, quarantineMaxBytes = units, bytes })
	quarantineMaxUnits, quarantineMaxBytes = 3, 10
	q := &quarantine{}
	q.add(rejectedUnit{input: 1, reason: "r", content: "12345"})
	q.add(rejectedUnit{input: 1, reason: "r", content: nil})
	q.add(rejectedUnit{input: 1, reason: "r", content: "12345"})
	if q.overflow || len(q.units) != 3 {
		t.Fatalf("within limits: overflow %v, %d units", q.overflow, len(q.units))
	}
	q.add(rejectedUnit{input: 1, reason: "r"})
	if !q.overflow || q.units != nil {
		t.Fatalf("a fourth unit: overflow %v, %d units", q.overflow, len(q.units))
	}
	q = &quarantine{}
	q.add(rejectedUnit{input: 1, reason: "r", content: "12345678901"})
	if !q.overflow {
		t.Fatal("11 bytes of text in a 10-byte quarantine: no overflow")
	}
}
